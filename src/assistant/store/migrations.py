"""Schema as an ordered list of migrations, each applied once and recorded.

Adding a schema change means adding one function at the end; an applied
migration is never edited (databases in the field already ran it).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlite_utils import Database

MIGRATIONS_TABLE = "_assistant_migrations"
Migration = Callable[[Database], None]
MIGRATIONS: list[Migration] = []


def migration(fn: Migration) -> Migration:
    MIGRATIONS.append(fn)
    return fn


def migrate(db: Database) -> list[str]:
    """Apply pending migrations, each in its own transaction; return their names."""
    if not db[MIGRATIONS_TABLE].exists():
        db[MIGRATIONS_TABLE].create({"name": str, "applied_at": str}, pk="name")
    done = {row["name"] for row in db[MIGRATIONS_TABLE].rows}
    applied = []
    for fn in MIGRATIONS:
        if fn.__name__ in done:
            continue
        with db.atomic():
            fn(db)
            db[MIGRATIONS_TABLE].insert(
                {"name": fn.__name__, "applied_at": datetime.now(UTC).isoformat()}
            )
        applied.append(fn.__name__)
    return applied


@migration
def m001_initial(db: Database) -> None:
    # Key material and the sealed chain head; never personal data.
    db["meta"].create({"key": str, "value": str}, pk="key")
    # Columns ending in _enc hold AES-GCM blobs (see crypto.py).
    db["cases"].create(
        {"id": str, "label_enc": bytes, "created_at": str, "erased_at": str}, pk="id"
    )
    db["rosters"].create({"case_id": str, "people_enc": bytes, "updated_at": str}, pk="case_id")
    db["mappings"].create({"case_id": str, "mapping_enc": bytes, "updated_at": str}, pk="case_id")
    db["overrides"].create(
        {"id": str, "case_id": str, "override_enc": bytes, "created_at": str}, pk="id"
    )
    db["overrides"].create_index(["case_id"])
    db["notes"].create(
        {
            "id": str,
            "case_id": str,
            "created_at": str,
            "raw_enc": bytes,
            "raw_purged_at": str,
            "deid_text": str,
            "entities": str,
            "erased_at": str,
        },
        pk="id",
    )
    db["notes"].create_index(["case_id"])
    db["notes"].create_index(["created_at"])
    db["prompt_versions"].create(
        {"version": str, "prompt_id": str, "source": str, "recorded_at": str}, pk="version"
    )
    db["suggestions"].create(
        {
            "id": str,
            "note_id": str,
            "case_id": str,
            "task": str,
            "prompt_id": str,
            "prompt_version": str,
            "rendered_prompt": str,
            "model_name": str,
            "model_sha256": str,
            "backend": str,
            "params": str,
            "status": str,
            "output": str,
            "finish_reason": str,
            "prompt_tokens": int,
            "completion_tokens": int,
            "ttft_ms": float,
            "total_ms": float,
            "tokens_per_s": float,
            "parent_id": str,
            "allow_unapproved": int,
            "created_at": str,
            "finished_at": str,
            "error": str,
            # Which process is generating: lets a second process tell a live
            # generation from one whose process was killed.
            "owner_pid": int,
            "erased_at": str,
        },
        pk="id",
    )
    for columns in (["case_id"], ["note_id"], ["status"], ["created_at"]):
        db["suggestions"].create_index(columns)
    db["reviews"].create(
        {
            "id": str,
            "suggestion_id": str,
            "decision": str,
            "final_text_deid": str,
            "final_raw_enc": bytes,
            "edit_distance": int,
            "reason": str,
            "reviewer": str,
            "created_at": str,
        },
        pk="id",
    )
    # One review per suggestion: a decision is never replaced by another.
    db["reviews"].create_index(["suggestion_id"], unique=True)
    db.execute(
        """
        CREATE TABLE events (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL,
            kind TEXT NOT NULL,
            created_at TEXT NOT NULL,
            subject TEXT,
            payload TEXT,
            payload_digest TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        )
        """
    )
    db["events"].create_index(["kind"])
    db["events"].create_index(["subject"])
    db["suggestions"].enable_fts(
        ["task", "output", "rendered_prompt"],
        create_triggers=True,
        tokenize="unicode61 remove_diacritics 2",
    )


@migration
def m002_masked_leftovers(db: Database) -> None:
    # How many known names the store had to mask in a suggestion's texts.
    db["suggestions"].add_column("masked", int)


@migration
def m003_review_flags(db: Database) -> None:
    # The review aids' flags (kind, span in the draft, reason, closest note
    # sentence): all de-identified, computed before the draft is shown.
    db["suggestions"].add_column("flags", str)
