"""Value types of de-identification, shared by the store, the pipeline and the UI."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Literal

PLACEHOLDER_RE = re.compile(r"<([A-Z][A-Z_]*?)_(\d+)>")


@dataclass(frozen=True)
class RosterPerson:
    """Someone in a case, as the practitioner lists them."""

    name: str
    aliases: tuple[str, ...] = ()
    role: str = ""

    def to_dict(self) -> dict:
        return {"name": self.name, "aliases": list(self.aliases), "role": self.role}

    @classmethod
    def from_dict(cls, data: dict) -> RosterPerson:
        return cls(
            name=data["name"], aliases=tuple(data.get("aliases", ())), role=data.get("role", "")
        )


@dataclass(frozen=True)
class Entity:
    """One masked span. ``start``/``end`` are offsets in the original text."""

    type: str
    start: int
    end: int
    text: str
    placeholder: str
    score: float = 1.0
    recognizer: str = ""

    def to_dict(self) -> dict:
        return {
            "type": self.type,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "placeholder": self.placeholder,
            "score": round(self.score, 3),
            "recognizer": self.recognizer,
        }


@dataclass(frozen=True)
class Override:
    """A practitioner's correction, remembered for the case."""

    text: str
    action: Literal["mask", "unmask"]
    type: str = "PERSONNE"

    def to_dict(self) -> dict:
        return {"text": self.text, "action": self.action, "type": self.type}

    @classmethod
    def from_dict(cls, data: dict) -> Override:
        return cls(text=data["text"], action=data["action"], type=data.get("type", "PERSONNE"))


@dataclass
class PseudonymMap:
    """Placeholder <-> original value, stable across all the notes of a case.

    Originals are keyed by (type, normalised text) so "DUPONT" and "Dupont"
    get the same placeholder; the first spelling seen is the one restored.
    """

    by_placeholder: dict[str, str] = field(default_factory=dict)
    by_key: dict[str, str] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)

    @staticmethod
    def key(type_: str, text: str) -> str:
        from unicodedata import category, normalize

        folded = "".join(c for c in normalize("NFKD", text.casefold()) if category(c) != "Mn")
        return f"{type_}:{' '.join(folded.split())}"

    def placeholder_for(self, type_: str, text: str) -> str:
        k = self.key(type_, text)
        existing = self.by_key.get(k)
        if existing:
            return existing
        n = self.counters.get(type_, 0) + 1
        self.counters[type_] = n
        placeholder = f"<{type_}_{n}>"
        self.by_key[k] = placeholder
        self.by_placeholder[placeholder] = text
        return placeholder

    def alias(self, placeholder: str, type_: str, text: str) -> None:
        """Make another spelling of a known value map to the same placeholder."""
        self.by_key.setdefault(self.key(type_, text), placeholder)

    def original(self, placeholder: str) -> str | None:
        return self.by_placeholder.get(placeholder)

    def placeholders(self) -> list[str]:
        return list(self.by_placeholder)

    def to_json(self) -> str:
        return json.dumps(
            {"p": self.by_placeholder, "k": self.by_key, "c": self.counters}, ensure_ascii=False
        )

    @classmethod
    def from_json(cls, text: str | None) -> PseudonymMap:
        if not text:
            return cls()
        data = json.loads(text)
        return cls(by_placeholder=data["p"], by_key=data["k"], counters=data["c"])


@dataclass
class DeidResult:
    """The de-identified text, what was masked, and the (updated) case mapping."""

    text: str
    entities: list[Entity]
    mapping: PseudonymMap


@dataclass
class ReidResult:
    """A re-identified draft; placeholders the model invented stay visible, listed here."""

    text: str
    unknown_placeholders: list[str]
