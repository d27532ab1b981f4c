"""Local store: migrations, encryption at rest, the Store repository.

``Store.open(home, passphrase)`` opens (or creates) ``home/assistant.db``.

Encryption: Argon2id (64 MiB, 3 passes, random salt kept in the ``meta`` table)
turns the passphrase into the key; each run pays it once per (passphrase, salt)
because the derived key is cached in memory (tests open many stores quickly
without any weaker "fast" setting). A lost passphrase means lost data: nothing
can decrypt the notes without it.

Encrypted (AES-256-GCM): case labels, rosters, pseudonym mappings, overrides,
raw notes, re-identified final texts. In clear, and exported to audits: only
de-identified texts, ids, parameters, timings, decisions. Known names of a case
left in a clear text are masked by ``Store.mask_known`` before being written.

Events appended by the store (payloads de-identified, hash-chained, see
``assistant.audit``): ``case.created``, ``case.roster_set``,
``case.override_added``, ``note.added``, ``prompt.version_recorded``,
``suggestion.created`` / ``.cancelled`` / ``.failed`` / ``.interrupted``,
``suggestion.reviewed``; by ``assistant.audit``: ``audit.exported``,
``retention.purged``, ``erasure.case``, ``erasure.person``. Other modules append
their own (``prompt.approved``).
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
