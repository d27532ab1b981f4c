"""The value a review aid hands to the pipeline, the TUI and the audit views."""

from __future__ import annotations

from dataclasses import dataclass

KINDS: tuple[str, ...] = (
    "number",
    "placeholder",
    "role",
    "entity",
    "measure",
    "unsupported",
    "negation",
    "sensitive",
)


@dataclass(frozen=True)
class Flag:
    """Something the draft says that the note may not support.

    ``start``/``end`` are character offsets in the draft; ``reason`` is French,
    written for the practitioner; ``source`` is the closest sentence of the note.
    """

    kind: str
    start: int
    end: int
    text: str
    reason: str
    source: str | None = None

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "reason": self.reason,
            "source": self.source,
        }
