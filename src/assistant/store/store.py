"""The Store: one encrypted-where-it-matters SQLite file per data directory.

Personal data (case labels, rosters, pseudonym mappings, overrides, raw notes,
re-identified final texts) is only ever written as AES-GCM blobs. Everything in
clear is de-identified: that is what the audit exports and the search index see.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import secrets
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from rapidfuzz.distance import Levenshtein
from sqlite_utils import Database

from assistant.config import ensure_private_dir
from assistant.deid.types import PLACEHOLDER_RE, DeidResult, Override, PseudonymMap, RosterPerson
from assistant.errors import PassphraseError, StoreError
from assistant.store.chain import (
    GENESIS,
    canonical_json,
    link_hash,
    payload_digest,
    seal_message,
    sha256_text,
)
from assistant.store.crypto import Cipher, KdfParams, new_salt
from assistant.store.migrations import MIGRATIONS, MIGRATIONS_TABLE, migrate
from assistant.store.records import (
    FINISH_STATUSES,
    REVIEW_DECISIONS,
    Case,
    Event,
    Note,
    Review,
    Suggestion,
)

DB_NAME = "assistant.db"
VERIFIER_TEXT = "assistant-notes: phrase de passe correcte"

STATUS_FR = {
    "generating": "en cours de génération",
    "pending": "en attente de relecture",
    "cancelled": "annulée",
    "failed": "en échec",
    "interrupted": "interrompue",
    "accepted": "acceptée",
    "edited": "acceptée avec modifications",
    "rejected": "rejetée",
}

# Generations running in this process: a row marked "generating" with our pid but
# not listed here was left by an earlier process that had the same pid.
_LIVE_GENERATIONS: set[str] = set()


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def new_id() -> str:
    return secrets.token_hex(6)


def _pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _sqlite_error(exc: sqlite3.Error, path: Path) -> StoreError:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return StoreError(
            f"La base {path} est utilisée par un autre programme de l'assistant. "
            "Fermez l'autre fenêtre ou attendez la fin de l'opération, puis réessayez."
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return StoreError(
            f"La base {path} est endommagée ou n'est pas une base de l'assistant. "
            "Restaurez une sauvegarde, ou déplacez ce fichier pour repartir d'une base vide."
        )
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return StoreError(
            f"Impossible d'écrire dans {path} : vérifiez les droits du dossier et "
            "l'espace disque disponible."
        )
    if "disk" in text or "full" in text:
        return StoreError(
            "Le disque est plein ou indisponible : libérez de l'espace puis réessayez. "
            "Les données déjà enregistrées ne sont pas perdues."
        )
    return StoreError(
        f"Erreur de la base de données ({exc}). Réessayez ; si cela persiste, faites une sauvegarde."
    )


class Store:
    """Repository for cases, notes, suggestions, reviews and the audit chain."""

    def __init__(self, db: Database, path: Path, cipher: Cipher) -> None:
        self.db = db
        self.path = path
        self.cipher = cipher
        # One connection shared by the TUI's worker threads: every use goes
        # through this lock, and sqlite3's own thread check is turned off.
        self._lock = threading.RLock()

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(cls, home: Path, passphrase: str) -> Store:
        """Open (or create) ``home/assistant.db``: migrations, WAL, key check.

        Raises PassphraseError for a wrong passphrase, StoreError for a locked,
        corrupt or unwritable database; both in French, saying what to do.
        """
        if not passphrase:
            raise PassphraseError("La phrase de passe ne peut pas être vide.")
        home = ensure_private_dir(Path(home))
        path = home / DB_NAME
        if not path.exists():
            # Created 0600 before SQLite touches it; SQLite gives -wal and -shm
            # the same permissions as the database file.
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        try:
            conn = sqlite3.connect(
                str(path), timeout=5.0, check_same_thread=False, isolation_level=None
            )
        except sqlite3.Error as exc:
            raise _sqlite_error(exc, path) from exc
        try:
            db = Database(conn)
            # Sorts and indexes build in memory, never in a temporary file; freed
            # pages are zeroed so an erased blob does not linger in the file.
            conn.execute("PRAGMA temp_store=MEMORY")
            conn.execute("PRAGMA secure_delete=ON")
            db.enable_wal()
            # FULL: a decision the practitioner saw committed survives a power cut
            # too, not only a killed process. It costs a few milliseconds per user
            # action, which is nothing next to a generation.
            conn.execute("PRAGMA synchronous=FULL")
            cipher = cls._set_up(db, passphrase)
        except sqlite3.Error as exc:
            conn.close()
            raise _sqlite_error(exc, path) from exc
        except BaseException:
            conn.close()
            raise
        # A file copied in, or left by an older version, may be readable by others.
        for name in (DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm"):
            with contextlib.suppress(OSError):
                os.chmod(home / name, 0o600)
        store = cls(db, path, cipher)
        store.mark_interrupted()
        return store

    @classmethod
    def _set_up(cls, db: Database, passphrase: str) -> Cipher:
        """Migrations and key check; the first open does them under the write lock."""
        if _is_set_up(db):
            return cls._unlock(db, passphrase)
        # Two processes opening a new (or older) database at the same moment
        # would both create tables and keys, and one would fail half-way. With
        # the write lock taken first, the second waits (busy timeout), then
        # finds everything done.
        conn = db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            migrate(db)
            cipher = cls._unlock(db, passphrase)
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return cipher

    @staticmethod
    def _unlock(db: Database, passphrase: str) -> Cipher:
        meta = {row["key"]: row["value"] for row in db["meta"].rows}
        if "kdf" not in meta:
            with db.atomic():
                meta = {row["key"]: row["value"] for row in db["meta"].rows}
                if "kdf" not in meta and db.execute("SELECT 1 FROM cases LIMIT 1").fetchone():
                    # A new key would silently make every existing blob unreadable.
                    raise StoreError(
                        "Les paramètres de chiffrement de la base ont disparu : les données "
                        "existantes ne peuvent plus être déchiffrées. Restaurez une sauvegarde."
                    )
                if "kdf" not in meta:
                    salt = new_salt()
                    params = KdfParams()
                    cipher = Cipher(passphrase, salt, params)
                    kdf = {**params.to_dict(), "salt": salt.hex()}
                    verifier = cipher.encrypt(VERIFIER_TEXT, "meta.verifier")
                    db["meta"].insert_all(
                        [
                            {"key": "kdf", "value": json.dumps(kdf)},
                            {"key": "verifier", "value": base64.b64encode(verifier).decode()},
                            {"key": "install_id", "value": new_id()},
                        ]
                    )
                    return cipher
        kdf = json.loads(meta["kdf"])
        cipher = Cipher(passphrase, bytes.fromhex(kdf["salt"]), KdfParams.from_dict(kdf))
        if not cipher.check(base64.b64decode(meta["verifier"]), "meta.verifier"):
            raise PassphraseError(
                "Phrase de passe incorrecte. Vérifiez-la et réessayez : sans la bonne "
                "phrase de passe, les données chiffrées ne peuvent pas être lues."
            )
        return cipher

    def close(self) -> None:
        with self._lock:
            with contextlib.suppress(sqlite3.Error):
                # Folds the WAL back into the database so no stale page copies linger.
                # Not worth waiting for: while another instance writes, the
                # checkpoint would sit out the whole busy timeout; the last
                # instance to close folds the WAL instead.
                self.db.execute("PRAGMA busy_timeout=0")
                self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def install_id(self) -> str:
        return self._meta("install_id") or ""

    def _meta(self, key: str) -> str | None:
        row = self._one("SELECT value FROM meta WHERE key = ?", [key])
        return row[0] if row else None

    # ------------------------------------------------------------ transactions

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Store]:
        """One write transaction per user action; nested blocks become savepoints."""
        with self._lock:
            conn = self.db.conn
            if conn.in_transaction:
                with self.db.atomic():
                    yield self
                return
            try:
                # IMMEDIATE takes the write lock up front, so two processes wait
                # for each other (busy timeout) instead of failing mid-action.
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise _sqlite_error(exc, self.path) from exc
            try:
                yield self
            except sqlite3.Error as exc:
                # A full disk or a lock mid-action: nothing of the action is kept,
                # and the user reads why in French instead of a traceback.
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise _sqlite_error(exc, self.path) from exc
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            try:
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise _sqlite_error(exc, self.path) from exc

    def _one(self, sql: str, params: list | tuple = ()) -> tuple | None:
        with self._lock:
            try:
                return self.db.execute(sql, params).fetchone()
            except sqlite3.Error as exc:
                raise _sqlite_error(exc, self.path) from exc

    def _q(self, sql: str, params: list | tuple = ()) -> list[dict]:
        with self._lock:
            try:
                cursor = self.db.execute(sql, params)
                columns = [c[0] for c in cursor.description]
                return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
            except sqlite3.Error as exc:
                raise _sqlite_error(exc, self.path) from exc

    # -------------------------------------------------------------- encryption

    def encrypt(self, plaintext: str, context: str) -> bytes:
        return self.cipher.encrypt(plaintext, context)

    def decrypt(self, blob: bytes, context: str) -> str:
        return self.cipher.decrypt(blob, context)

    # -------------------------------------------------------- cases and roster

    def create_case(self, label: str) -> str:
        case_id = new_id()
        with self.transaction():
            self.db["cases"].insert(
                {
                    "id": case_id,
                    "label_enc": self.encrypt(label, f"cases.label:{case_id}"),
                    "created_at": utc_now(),
                    "erased_at": None,
                }
            )
            self.append_event("case.created", {"case_id": case_id}, subject=case_id)
        return case_id

    def _case_from_row(self, row: dict) -> Case:
        label = None
        if row["label_enc"] is not None:
            label = self.decrypt(row["label_enc"], f"cases.label:{row['id']}")
        return Case(
            id=row["id"],
            label=label,
            created_at=row["created_at"],
            note_count=row.get("note_count") or 0,
        )

    _CASE_SQL = (
        "SELECT c.*, (SELECT count(*) FROM notes n WHERE n.case_id = c.id) AS note_count "
        "FROM cases c"
    )

    def list_cases(self) -> list[Case]:
        rows = self._q(f"{self._CASE_SQL} WHERE c.erased_at IS NULL ORDER BY c.created_at")
        return [self._case_from_row(r) for r in rows]

    def get_case(self, case_id: str) -> Case:
        rows = self._q(f"{self._CASE_SQL} WHERE c.id = ?", [case_id])
        if not rows:
            raise StoreError(
                f"Dossier inconnu : {case_id}. Vérifiez l'identifiant dans la liste des dossiers."
            )
        return self._case_from_row(rows[0])

    def _require_case(self, case_id: str) -> None:
        row = self._one("SELECT erased_at FROM cases WHERE id = ?", [case_id])
        if row is None:
            raise StoreError(
                f"Dossier inconnu : {case_id}. Vérifiez l'identifiant dans la liste des dossiers."
            )
        if row[0] is not None:
            raise StoreError(
                f"Le dossier {case_id} a été effacé (droit à l'effacement) : "
                "créez un nouveau dossier."
            )

    def set_roster(self, case_id: str, people: list[RosterPerson]) -> None:
        with self.transaction():
            self._require_case(case_id)
            blob = self.encrypt(
                canonical_json([p.to_dict() for p in people]), f"rosters.people:{case_id}"
            )
            self.db["rosters"].upsert(
                {"case_id": case_id, "people_enc": blob, "updated_at": utc_now()}, pk="case_id"
            )
            self.append_event(
                "case.roster_set", {"case_id": case_id, "people": len(people)}, subject=case_id
            )

    def get_roster(self, case_id: str) -> list[RosterPerson]:
        row = self._one("SELECT people_enc FROM rosters WHERE case_id = ?", [case_id])
        if row is None or row[0] is None:
            return []
        people = json.loads(self.decrypt(row[0], f"rosters.people:{case_id}"))
        return [RosterPerson.from_dict(p) for p in people]

    def get_mapping(self, case_id: str) -> PseudonymMap:
        row = self._one("SELECT mapping_enc FROM mappings WHERE case_id = ?", [case_id])
        if row is None or row[0] is None:
            return PseudonymMap()
        return PseudonymMap.from_json(self.decrypt(row[0], f"mappings.mapping:{case_id}"))

    def save_mapping(self, case_id: str, mapping: PseudonymMap) -> None:
        with self.transaction():
            self._require_case(case_id)
            blob = self.encrypt(mapping.to_json(), f"mappings.mapping:{case_id}")
            self.db["mappings"].upsert(
                {"case_id": case_id, "mapping_enc": blob, "updated_at": utc_now()}, pk="case_id"
            )

    def get_overrides(self, case_id: str) -> list[Override]:
        rows = self._q(
            "SELECT id, override_enc FROM overrides WHERE case_id = ? ORDER BY created_at, rowid",
            [case_id],
        )
        return [
            Override.from_dict(json.loads(self.decrypt(r["override_enc"], f"overrides:{r['id']}")))
            for r in rows
        ]

    def add_override(self, case_id: str, override: Override) -> None:
        override_id = new_id()
        with self.transaction():
            self._require_case(case_id)
            self.db["overrides"].insert(
                {
                    "id": override_id,
                    "case_id": case_id,
                    "override_enc": self.encrypt(
                        canonical_json(override.to_dict()), f"overrides:{override_id}"
                    ),
                    "created_at": utc_now(),
                }
            )
            self.append_event(
                "case.override_added",
                {"case_id": case_id, "action": override.action, "type": override.type},
                subject=case_id,
            )

    def _known_values(self, case_id: str) -> dict[str, str]:
        """Every original value this case is known to hold, with its placeholder."""
        mapping = self.get_mapping(case_id)
        values = {orig: ph for ph, orig in mapping.by_placeholder.items()}
        for person in self.get_roster(case_id):
            names = (person.name, *person.aliases)
            placeholder = next((values[n] for n in names if n in values), None)
            if placeholder is None:
                placeholder = mapping.by_key.get(PseudonymMap.key("PERSONNE", person.name))
            for n in names:
                values.setdefault(n, placeholder or "<PERSONNE>")
        return {k: v for k, v in values.items() if len(k.strip()) >= 2}

    def mask_known(self, case_id: str, text: str | None) -> tuple[str | None, int]:
        """Safety net for texts stored in clear: a name or identifier this case knows
        (mapping, roster, aliases) that is still there is replaced by its placeholder.

        De-identification happens before the store; this only catches what slipped
        through (a missed alias, a reason typed with a name in it), and the count
        goes into the event so the audit shows it happened.
        """
        if not text:
            return text, 0
        values = self._known_values(case_id)
        if not values:
            return text, 0
        alternatives = "|".join(re.escape(v) for v in sorted(values, key=len, reverse=True))
        pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
        lookup = {k.casefold(): v for k, v in values.items()}
        count = 0

        def replace(match: re.Match[str]) -> str:
            nonlocal count
            count += 1
            return lookup.get(match.group(0).casefold(), "<PERSONNE>")

        return pattern.sub(replace, text), count

    # ------------------------------------------------------------------- notes

    def add_note(self, case_id: str, raw_text: str, deid: DeidResult) -> str:
        note_id = new_id()
        # The original span text is what we protect: only its position and type stay.
        entities = [
            {
                "type": e.type,
                "start": e.start,
                "end": e.end,
                "placeholder": e.placeholder,
                "score": round(e.score, 3),
                "recognizer": e.recognizer,
            }
            for e in deid.entities
        ]
        with self.transaction():
            self._require_case(case_id)
            self.save_mapping(case_id, deid.mapping)
            deid_text, masked = self.mask_known(case_id, deid.text)
            self.db["notes"].insert(
                {
                    "id": note_id,
                    "case_id": case_id,
                    "created_at": utc_now(),
                    "raw_enc": self.encrypt(raw_text, f"notes.raw:{note_id}"),
                    "raw_purged_at": None,
                    "deid_text": deid_text,
                    "entities": json.dumps(entities),
                    "erased_at": None,
                }
            )
            self.append_event(
                "note.added",
                {
                    "note_id": note_id,
                    "case_id": case_id,
                    "entities": dict(sorted(Counter(e.type for e in deid.entities).items())),
                    "deid_sha256": sha256_text(deid_text or ""),
                    **({"masked_leftovers": masked} if masked else {}),
                },
                subject=case_id,
            )
        return note_id

    def _note_from_row(self, row: dict) -> Note:
        raw = None
        if row["raw_enc"] is not None:
            raw = self.decrypt(row["raw_enc"], f"notes.raw:{row['id']}")
        return Note(
            id=row["id"],
            case_id=row["case_id"],
            created_at=row["created_at"],
            raw_text=raw,
            deid_text=row["deid_text"],
            entities=json.loads(row["entities"]) if row["entities"] else [],
            raw_purged_at=row["raw_purged_at"],
        )

    def get_note(self, note_id: str) -> Note:
        rows = self._q("SELECT * FROM notes WHERE id = ?", [note_id])
        if not rows:
            raise StoreError(f"Note inconnue : {note_id}.")
        return self._note_from_row(rows[0])

    def list_notes(self, case_id: str) -> list[Note]:
        rows = self._q(
            "SELECT * FROM notes WHERE case_id = ? ORDER BY created_at, rowid", [case_id]
        )
        return [self._note_from_row(r) for r in rows]

    # --------------------------------------------------------- prompt versions

    def record_prompt_version(self, prompt_id: str, version: str, source: str) -> None:
        with self.transaction():
            if self.db.execute(
                "SELECT 1 FROM prompt_versions WHERE version = ?", [version]
            ).fetchone():
                return
            self.db["prompt_versions"].insert(
                {
                    "version": version,
                    "prompt_id": prompt_id,
                    "source": source,
                    "recorded_at": utc_now(),
                }
            )
            self.append_event(
                "prompt.version_recorded",
                {"prompt_id": prompt_id, "version": version, "source_sha256": sha256_text(source)},
            )

    def get_prompt_version(self, version: str) -> dict | None:
        rows = self._q("SELECT * FROM prompt_versions WHERE version = ?", [version])
        return rows[0] if rows else None

    # ------------------------------------------------------------- suggestions

    def start_suggestion(
        self,
        *,
        note_id: str,
        case_id: str,
        task: str,
        prompt_id: str,
        prompt_version: str,
        rendered_prompt: str,
        model_name: str,
        model_sha256: str,
        backend: str,
        params: dict,
        parent_id: str | None = None,
        allow_unapproved: bool = False,
    ) -> str:
        suggestion_id = new_id()
        with self.transaction():
            if parent_id is not None:
                parent_id = self._resolve_id(parent_id)
            rendered_prompt, masked = self.mask_known(case_id, rendered_prompt)
            self.db["suggestions"].insert(
                {
                    "id": suggestion_id,
                    "note_id": note_id,
                    "case_id": case_id,
                    "task": task,
                    "prompt_id": prompt_id,
                    "prompt_version": prompt_version,
                    "rendered_prompt": rendered_prompt,
                    "model_name": model_name,
                    "model_sha256": model_sha256,
                    "backend": backend,
                    "params": canonical_json(params),
                    "status": "generating",
                    "parent_id": parent_id,
                    "allow_unapproved": int(bool(allow_unapproved)),
                    "created_at": utc_now(),
                    "owner_pid": os.getpid(),
                    "masked": masked,
                }
            )
        _LIVE_GENERATIONS.add(suggestion_id)
        return suggestion_id

    def finish_suggestion(
        self,
        suggestion_id: str,
        *,
        status: str,
        output: str,
        finish_reason: str,
        prompt_tokens: int,
        completion_tokens: int,
        ttft_ms: float | None,
        total_ms: float,
        tokens_per_s: float | None,
        error: str | None = None,
        flags: list[dict] | None = None,
    ) -> Suggestion:
        if status not in FINISH_STATUSES:
            raise StoreError(
                f"Statut de fin invalide : {status!r} (attendu : {', '.join(FINISH_STATUSES)})."
            )
        with self.transaction():
            row = self._row(suggestion_id)
            if row["status"] != "generating":
                raise StoreError(
                    f"La suggestion {row['id']} est déjà {STATUS_FR.get(row['status'], row['status'])} : "
                    "son résultat ne peut plus être enregistré."
                )
            finished_at = utc_now()
            output, masked_output = self.mask_known(row["case_id"], output)
            error, masked_error = self.mask_known(row["case_id"], error)
            masked = (row["masked"] or 0) + masked_output + masked_error
            self.db["suggestions"].update(
                row["id"],
                {
                    "status": status,
                    "output": output,
                    "finish_reason": finish_reason,
                    "prompt_tokens": prompt_tokens,
                    "completion_tokens": completion_tokens,
                    "ttft_ms": ttft_ms,
                    "total_ms": total_ms,
                    "tokens_per_s": tokens_per_s,
                    "finished_at": finished_at,
                    "error": error,
                    "masked": masked,
                    "flags": canonical_json(flags or []),
                },
            )
            kind = {"pending": "created", "cancelled": "cancelled", "failed": "failed"}[status]
            self.append_event(
                f"suggestion.{kind}",
                {
                    "suggestion_id": row["id"],
                    "note_id": row["note_id"],
                    "case_id": row["case_id"],
                    "parent_id": row["parent_id"],
                    "task": row["task"],
                    "prompt_id": row["prompt_id"],
                    "prompt_version": row["prompt_version"],
                    "model_name": row["model_name"],
                    "model_sha256": row["model_sha256"],
                    "backend": row["backend"],
                    "params": json.loads(row["params"]),
                    "allow_unapproved": bool(row["allow_unapproved"]),
                    "status": status,
                    "finish_reason": finish_reason,
                    "prompt_tokens": prompt_tokens,
                    "completion_tokens": completion_tokens,
                    "ttft_ms": ttft_ms,
                    "total_ms": total_ms,
                    "tokens_per_s": tokens_per_s,
                    # Digests tie the stored texts to the chain without copying them.
                    "rendered_prompt_sha256": sha256_text(row["rendered_prompt"] or ""),
                    "output_sha256": sha256_text(output or ""),
                    "error": error,
                    # Counts only: supervisors compare flag rates per prompt and model.
                    "flags": _flag_counts(flags or []),
                    **({"masked_leftovers": masked} if masked else {}),
                },
                subject=row["case_id"],
            )
        _LIVE_GENERATIONS.discard(row["id"])
        return self.get_suggestion(row["id"])

    def _resolve_id(self, suggestion_id: str) -> str:
        return self._row(suggestion_id)["id"]

    def _row(self, suggestion_id: str) -> dict:
        rows = self._q("SELECT * FROM suggestions WHERE id = ?", [suggestion_id])
        if (
            not rows
            and len(suggestion_id) >= 4
            and all(c in "0123456789abcdef" for c in suggestion_id)
        ):
            rows = self._q(
                "SELECT * FROM suggestions WHERE id LIKE ? LIMIT 2", [suggestion_id + "%"]
            )
            if len(rows) > 1:
                raise StoreError(
                    f"L'identifiant {suggestion_id} est ambigu : donnez plus de caractères."
                )
        if not rows:
            raise StoreError(
                f"Suggestion inconnue : {suggestion_id}. "
                "Vérifiez l'identifiant avec « assistant log »."
            )
        return rows[0]

    _SUGGESTION_SQL = (
        "SELECT s.*, r.id AS r_id, r.decision AS r_decision, r.final_text_deid AS r_final, "
        "r.edit_distance AS r_distance, r.reason AS r_reason, r.reviewer AS r_reviewer, "
        "r.created_at AS r_created_at "
        "FROM suggestions s LEFT JOIN reviews r ON r.suggestion_id = s.id"
    )

    @staticmethod
    def _suggestion_from_row(row: dict) -> Suggestion:
        review = None
        if row.get("r_id"):
            review = Review(
                id=row["r_id"],
                suggestion_id=row["id"],
                decision=row["r_decision"],
                final_text_deid=row["r_final"],
                edit_distance=row["r_distance"],
                reason=row["r_reason"],
                reviewer=row["r_reviewer"] or "",
                created_at=row["r_created_at"],
            )
        return Suggestion(
            id=row["id"],
            note_id=row["note_id"],
            case_id=row["case_id"],
            task=row["task"],
            prompt_id=row["prompt_id"],
            prompt_version=row["prompt_version"],
            rendered_prompt=row["rendered_prompt"],
            model_name=row["model_name"],
            model_sha256=row["model_sha256"],
            backend=row["backend"],
            params=json.loads(row["params"]) if row["params"] else {},
            status=row["status"],
            output=row["output"],
            finish_reason=row["finish_reason"],
            prompt_tokens=row["prompt_tokens"],
            completion_tokens=row["completion_tokens"],
            ttft_ms=row["ttft_ms"],
            total_ms=row["total_ms"],
            tokens_per_s=row["tokens_per_s"],
            parent_id=row["parent_id"],
            allow_unapproved=bool(row["allow_unapproved"]),
            created_at=row["created_at"],
            finished_at=row["finished_at"],
            error=row["error"],
            review=review,
            flags=json.loads(row["flags"]) if row.get("flags") else [],
        )

    def get_suggestion(self, suggestion_id: str) -> Suggestion:
        full_id = self._resolve_id(suggestion_id)
        rows = self._q(f"{self._SUGGESTION_SQL} WHERE s.id = ?", [full_id])
        return self._suggestion_from_row(rows[0])

    def list_suggestions(
        self,
        *,
        status: str | None = None,
        query: str | None = None,
        case_id: str | None = None,
        note_id: str | None = None,
        limit: int | None = None,
    ) -> list[Suggestion]:
        where, params = [], []
        sql = self._SUGGESTION_SQL
        # Quoted terms: a user's apostrophe, hyphen or quote is text, not FTS
        # syntax (sqlite-utils' quote_fts turns a lone '"' into a syntax error);
        # a NUL would end FTS5's query string early ("unterminated string").
        terms = (query or "").replace("\x00", " ").split()
        if terms:
            sql += " JOIN suggestions_fts f ON f.rowid = s.rowid"
            where.append("suggestions_fts MATCH ?")
            params.append(" ".join(f'"{t.replace(chr(34), chr(34) * 2)}"' for t in terms))
        for column, value in (("s.status", status), ("s.case_id", case_id), ("s.note_id", note_id)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY s.created_at DESC, s.rowid DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return [self._suggestion_from_row(r) for r in self._q(sql, params)]

    # ------------------------------------------------------------------ review

    def review(
        self,
        suggestion_id: str,
        *,
        decision: str,
        final_text_deid: str | None = None,
        final_text_raw: str | None = None,
        reason: str | None = None,
        reviewer: str = "",
    ) -> Review:
        if decision not in REVIEW_DECISIONS:
            raise StoreError(
                f"Décision inconnue : {decision!r} (attendu : accepter, modifier ou rejeter)."
            )
        if decision == "rejected" and not (reason and reason.strip()):
            raise StoreError("Un rejet doit être motivé : indiquez une raison.")
        if decision == "edited" and final_text_deid is None:
            raise StoreError("Une modification doit fournir le texte modifié.")
        with self.transaction():
            row = self._row(suggestion_id)
            if row["status"] != "pending":
                raise StoreError(
                    f"La suggestion {row['id']} est {STATUS_FR.get(row['status'], row['status'])} : "
                    "seule une suggestion en attente de relecture peut être acceptée, "
                    "modifiée ou rejetée, et une décision n'est jamais remplacée."
                )
            output = row["output"] or ""
            final_text_deid, masked_final = self.mask_known(row["case_id"], final_text_deid)
            reason, masked_reason = self.mask_known(row["case_id"], reason)
            if decision == "accepted":
                final_text_deid = output if final_text_deid is None else final_text_deid
            if decision == "rejected":
                final_text_deid, final_text_raw, distance = None, None, None
            else:
                distance = Levenshtein.distance(output, final_text_deid or "")
            review_id = new_id()
            created_at = utc_now()
            self.db["reviews"].insert(
                {
                    "id": review_id,
                    "suggestion_id": row["id"],
                    "decision": decision,
                    "final_text_deid": final_text_deid,
                    "final_raw_enc": (
                        self.encrypt(final_text_raw, f"reviews.final_raw:{review_id}")
                        if final_text_raw is not None
                        else None
                    ),
                    "edit_distance": distance,
                    "reason": reason,
                    "reviewer": reviewer,
                    "created_at": created_at,
                }
            )
            self.db["suggestions"].update(row["id"], {"status": decision})
            self.append_event(
                "suggestion.reviewed",
                {
                    "suggestion_id": row["id"],
                    "review_id": review_id,
                    "case_id": row["case_id"],
                    "prompt_id": row["prompt_id"],
                    "prompt_version": row["prompt_version"],
                    "model_sha256": row["model_sha256"],
                    "decision": decision,
                    "edit_distance": distance,
                    "reason": reason,
                    "reviewer": reviewer,
                    "final_text_deid_sha256": (
                        sha256_text(final_text_deid) if final_text_deid is not None else None
                    ),
                    **(
                        {"masked_leftovers": masked_final + masked_reason}
                        if masked_final + masked_reason
                        else {}
                    ),
                },
                subject=row["case_id"],
            )
        return Review(
            id=review_id,
            suggestion_id=row["id"],
            decision=decision,
            final_text_deid=final_text_deid,
            edit_distance=distance,
            reason=reason,
            reviewer=reviewer,
            created_at=created_at,
        )

    def final_text(self, suggestion_id: str) -> str:
        """The re-identified text the practitioner accepted: the only text fit for use."""
        row = self._row(suggestion_id)
        if row["status"] not in ("accepted", "edited"):
            raise StoreError(
                f"La suggestion {row['id']} est {STATUS_FR.get(row['status'], row['status'])} : "
                "seul un texte accepté peut être copié ou exporté."
            )
        review = self._q("SELECT * FROM reviews WHERE suggestion_id = ?", [row["id"]])[0]
        if review["final_raw_enc"] is not None:
            return self.decrypt(review["final_raw_enc"], f"reviews.final_raw:{review['id']}")
        purged = self._one("SELECT raw_purged_at FROM notes WHERE id = ?", [row["note_id"]])
        if review["final_text_deid"] is None or row["erased_at"] or (purged and purged[0]):
            raise StoreError(
                "Ce texte a été effacé (durée de conservation ou droit à l'effacement) : "
                "il ne peut plus être copié."
            )
        mapping = self.get_mapping(row["case_id"])

        def restore(match: object) -> str:
            token = match.group(0)  # type: ignore[attr-defined]
            return mapping.original(token) or token

        return PLACEHOLDER_RE.sub(restore, review["final_text_deid"])

    def mark_interrupted(self) -> int:
        """Suggestions left "generating" by a process that no longer runs become "interrupted"."""
        rows = self._q("SELECT id, case_id, owner_pid FROM suggestions WHERE status = 'generating'")
        me = os.getpid()
        stale = [
            r
            for r in rows
            if (r["owner_pid"] == me and r["id"] not in _LIVE_GENERATIONS)
            or (r["owner_pid"] != me and not _pid_alive(r["owner_pid"]))
        ]
        if not stale:
            return 0
        with self.transaction():
            for r in stale:
                self.db["suggestions"].update(
                    r["id"], {"status": "interrupted", "finished_at": utc_now()}
                )
                self.append_event(
                    "suggestion.interrupted",
                    {"suggestion_id": r["id"], "case_id": r["case_id"]},
                    subject=r["case_id"],
                )
        return len(stale)

    # ------------------------------------------------------------------ events

    def append_event(self, kind: str, payload: dict, *, subject: str | None = None) -> Event:
        """Append to the hash chain. ``payload`` must be de-identified: it is exported.

        ``subject`` (a case id) is not part of the chain: it only lets an erasure
        find which payloads to drop.
        """
        text = canonical_json(payload)
        with self.transaction():
            last = self.db.execute(
                "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1"
            ).fetchone()
            seq = last[0] + 1 if last else 1
            prev = last[1] if last else GENESIS
            event_id = new_id()
            created_at = utc_now()
            digest = payload_digest(text)
            hash_ = link_hash(seq, event_id, kind, created_at, digest, prev)
            self.db.execute(
                "INSERT INTO events (seq, id, kind, created_at, subject, payload, payload_digest,"
                " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [seq, event_id, kind, created_at, subject, text, digest, prev, hash_],
            )
            # The sealed head catches what a plain chain cannot: the last events
            # cut off, or the whole chain recomputed by someone without the key.
            seal = {"seq": seq, "hash": hash_, "mac": self.cipher.seal(seal_message(seq, hash_))}
            self.db.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('chain_seal', ?)",
                [json.dumps(seal)],
            )
        return Event(seq, event_id, kind, created_at, payload, digest, prev, hash_)

    def chain_seal(self) -> dict | None:
        value = self._meta("chain_seal")
        return json.loads(value) if value else None

    def list_events(self, kind: str | None = None) -> list[Event]:
        sql = "SELECT * FROM events"
        params: list = []
        if kind is not None:
            sql += " WHERE kind = ?"
            params.append(kind)
        rows = self._q(sql + " ORDER BY seq", params)
        return [
            Event(
                seq=r["seq"],
                id=r["id"],
                kind=r["kind"],
                created_at=r["created_at"],
                payload=json.loads(r["payload"]) if r["payload"] is not None else None,
                payload_digest=r["payload_digest"],
                prev_hash=r["prev_hash"],
                hash=r["hash"],
            )
            for r in rows
        ]


def _is_set_up(db: Database) -> bool:
    """Every migration applied and the key parameters stored (read-only check)."""
    if not db[MIGRATIONS_TABLE].exists():
        return False
    done = {row["name"] for row in db[MIGRATIONS_TABLE].rows}
    if any(fn.__name__ not in done for fn in MIGRATIONS):
        return False
    return db.execute("SELECT 1 FROM meta WHERE key = 'kdf'").fetchone() is not None


def _flag_counts(flags: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for flag in flags:
        counts[flag["kind"]] = counts.get(flag["kind"], 0) + 1
    return dict(sorted(counts.items()))
