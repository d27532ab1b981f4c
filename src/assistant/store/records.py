"""What the store hands back: plain dataclasses, de-identified unless the name says raw."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

SUGGESTION_STATUSES = (
    "generating",
    "pending",
    "cancelled",
    "failed",
    "interrupted",
    "accepted",
    "edited",
    "rejected",
)
FINISH_STATUSES = ("pending", "cancelled", "failed")
REVIEW_DECISIONS = ("accepted", "edited", "rejected")

# The short list offered when rejecting; free text is accepted too, and must be
# de-identified by the caller because reasons go to audit exports.
REJECTION_REASONS = (
    "Contenu inexact",
    "Information inventée",
    "Ton inadapté",
    "Trop long",
    "Incomplet",
    "Données personnelles mal masquées",
    "Pas utile",
)


@dataclass(frozen=True)
class Case:
    id: str
    label: str | None
    created_at: str
    note_count: int = 0


@dataclass(frozen=True)
class Note:
    id: str
    case_id: str
    created_at: str
    raw_text: str | None
    deid_text: str | None
    entities: list[dict] = field(default_factory=list)
    raw_purged_at: str | None = None


@dataclass(frozen=True)
class Review:
    id: str
    suggestion_id: str
    decision: str
    final_text_deid: str | None
    edit_distance: int | None
    reason: str | None
    reviewer: str
    created_at: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Suggestion:
    id: str
    note_id: str
    case_id: str
    task: str
    prompt_id: str
    prompt_version: str
    rendered_prompt: str | None
    model_name: str
    model_sha256: str
    backend: str
    params: dict
    status: str
    output: str | None
    finish_reason: str | None
    prompt_tokens: int | None
    completion_tokens: int | None
    ttft_ms: float | None
    total_ms: float | None
    tokens_per_s: float | None
    parent_id: str | None
    allow_unapproved: bool
    created_at: str
    finished_at: str | None
    error: str | None
    review: Review | None = None
    flags: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Every field is de-identified: safe for JSON output and audit exports."""
        data = asdict(self)
        data["review"] = self.review.to_dict() if self.review else None
        return data


@dataclass(frozen=True)
class Event:
    seq: int
    id: str
    kind: str
    created_at: str
    payload: dict | None
    payload_digest: str
    prev_hash: str
    hash: str

    def to_dict(self) -> dict:
        return asdict(self)
