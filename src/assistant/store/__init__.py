"""Local store: migrations, encryption at rest, the Store repository.

See ``store.Store`` for the API and ``assistant.audit`` for the chain verification.
"""

from assistant.store.records import (
    REJECTION_REASONS,
    REVIEW_DECISIONS,
    SUGGESTION_STATUSES,
    Case,
    Event,
    Note,
    Review,
    Suggestion,
)
from assistant.store.store import DB_NAME, STATUS_FR, Store

__all__ = [
    "DB_NAME",
    "REJECTION_REASONS",
    "REVIEW_DECISIONS",
    "STATUS_FR",
    "SUGGESTION_STATUSES",
    "Case",
    "Event",
    "Note",
    "Review",
    "Store",
    "Suggestion",
]
