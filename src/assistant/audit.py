"""Audit: verify the hash chain, export de-identified bundles, retention and erasure.

The chain (see ``store/chain.py``) links every event to the one before through a
hash over its sequence number, id, kind, time and payload digest. Verification
walks the events in order and, at the first anomaly, names it:

- *modified*: an event's content no longer matches its own hash or payload digest,
  or its hash was recomputed so the next event no longer links to it;
- *deleted*: an event number is missing (or the last ones were cut off);
- *inserted*: an event that was never appended sits in the chain (two events
  claim the same place, or the chain runs past its sealed head);
- *reordered*: authentic events sit at the wrong place.

Each event's hash was computed with its own sequence number, so an event moved
elsewhere can still be recognised as authentic and its original place found.
The local store also keeps the chain head sealed with a key derived from the
passphrase: that is what detects the last events being cut off, or the whole
chain being recomputed by someone without the passphrase. A bundle carries its
head in its manifest; compare it with the head printed at export time.
"""

from __future__ import annotations

import contextlib
import csv
import html
import json
import os
import re
import sqlite3
import statistics
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from assistant.errors import StoreError
from assistant.store.chain import (
    GENESIS,
    canonical_json,
    link_hash,
    payload_digest,
    seal_message,
    sha256_text,
)

if TYPE_CHECKING:
    from assistant.store import Store

Problem = Literal["modified", "deleted", "inserted", "reordered"]
ExportFormat = Literal["sqlite", "jsonl", "csv", "html"]
EXPORT_FORMATS: tuple[str, ...] = ("sqlite", "jsonl", "csv", "html")
BUNDLE_FORMAT = "assistant-audit-bundle"
BUNDLE_VERSION = 1
ERASURE_KINDS = ("erasure.case", "erasure.person")

EVENT_COLUMNS = (
    "seq",
    "id",
    "kind",
    "created_at",
    "payload",
    "payload_digest",
    "prev_hash",
    "hash",
)
# De-identified columns only: the raw text, roster and mapping never leave the store.
SUGGESTION_COLUMNS = (
    "id",
    "note_id",
    "case_id",
    "task",
    "prompt_id",
    "prompt_version",
    "rendered_prompt",
    "model_name",
    "model_sha256",
    "backend",
    "params",
    "status",
    "output",
    "finish_reason",
    "prompt_tokens",
    "completion_tokens",
    "ttft_ms",
    "total_ms",
    "tokens_per_s",
    "parent_id",
    "allow_unapproved",
    "created_at",
    "finished_at",
    "error",
    "erased_at",
)
REVIEW_COLUMNS = (
    "id",
    "suggestion_id",
    "decision",
    "final_text_deid",
    "edit_distance",
    "reason",
    "reviewer",
    "created_at",
)
PROMPT_COLUMNS = ("version", "prompt_id", "source", "recorded_at")


# --------------------------------------------------------------------------- verify


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    events: int
    first_bad: int | None
    problem: Problem | None
    message_fr: str
    head_hash: str | None = None
    source: str | None = None
    details: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {
            "ok": self.ok,
            "events": self.events,
            "first_bad": self.first_bad,
            "problem": self.problem,
            "message": self.message_fr,
            "head_hash": self.head_hash,
            "source": self.source,
            "details": list(self.details),
        }


_PROBLEM_FR = {
    "modified": "l'événement n° {n} a été modifié après coup",
    "deleted": "l'événement n° {n} a été supprimé",
    "inserted": "un événement qui n'a jamais été enregistré a été inséré en position n° {n}",
    "reordered": "l'ordre des événements a été changé à partir de la position n° {n}",
}


def _bad(problem: Problem, n: int | None, events: int, extra: str = "") -> VerifyReport:
    what = _PROBLEM_FR[problem].format(n=n) if n is not None else "le journal a été réécrit"
    message = f"Journal altéré : {what}{extra}. Ce journal ne peut plus servir de preuve ; conservez-le tel quel et signalez-le au responsable du traitement."
    return VerifyReport(False, events, n, problem, message)


def _original_seq(row: dict, guesses: Iterable[int], upper: int) -> int | None:
    """The sequence number this event's hash was computed with, if it is authentic."""
    args = (row["id"], row["kind"], row["created_at"], row["payload_digest"], row["prev_hash"])
    for k in guesses:
        if k >= 1 and link_hash(k, *args) == row["hash"]:
            return k
    for k in range(1, upper + 1):
        if link_hash(k, *args) == row["hash"]:
            return k
    return None


def verify_events(rows: list[dict], head: dict | None = None) -> VerifyReport:
    """Verify events given in storage order against an optional trusted head {seq, hash}."""
    n_events = len(rows)
    redacted: set[int] = set()
    for row in rows:
        if row["kind"] in ERASURE_KINDS and row["payload"] is not None:
            with contextlib.suppress(ValueError, AttributeError):
                redacted.update(json.loads(row["payload"]).get("redacted_events", []))
    upper = max([r["seq"] for r in rows] + [head["seq"] if head else 0]) + 1
    # The place each event's hash was computed for. Authentic rows match at the
    # first guess; a full search is spent only on a few forged rows, which keeps
    # a wholly rewritten 10k-event chain from costing 10k x 10k hashes.
    originals: list[int | None] = []
    shift, searches = 0, 3
    for row in rows:
        k = _original_seq(row, (row["seq"], row["seq"] + shift), upper if searches else 0)
        if k is None:
            searches = max(0, searches - 1)
        else:
            shift = k - row["seq"]
        originals.append(k)

    seen: dict[int, int] = {}  # original seq -> storage position (seq column)
    expected, prev = 1, GENESIS
    for index, (row, k) in enumerate(zip(rows, originals, strict=True)):
        position = row["seq"]
        if k is None:
            later = [o for o in originals[index + 1 :] if o is not None]
            if (later and later[0] == expected) or (head and position > head["seq"]):
                return _bad("inserted", position, n_events)
            return _bad("modified", position, n_events)
        if k < expected:
            if k in seen:
                return _bad("inserted", seen[k], n_events)
            return _bad("reordered", position, n_events)
        if k > expected:
            if any(o is not None and expected <= o < k for o in originals):
                return _bad("reordered", position, n_events)
            return _bad("deleted", expected, n_events)
        if row["prev_hash"] != prev:
            # This event is authentic, so the one before it was rewritten with a
            # freshly computed hash.
            return _bad("modified", max(expected - 1, 1), n_events)
        if row["payload"] is None:
            if k not in redacted:
                return _bad(
                    "modified",
                    k,
                    n_events,
                    " (son contenu a été retiré sans effacement enregistré)",
                )
        elif payload_digest(row["payload"]) != row["payload_digest"]:
            return _bad("modified", k, n_events)
        seen[k] = position
        expected, prev = k + 1, row["hash"]
    last = expected - 1
    if head is not None:
        if last < head["seq"]:
            return _bad("deleted", last + 1, n_events, " (les derniers événements ont été retirés)")
        if last > head["seq"]:
            return _bad("inserted", head["seq"] + 1, n_events)
        if head["hash"] != prev:
            return _bad(
                "modified", None, n_events, " (toute la chaîne a été recalculée après coup)"
            )
    head_hash = prev if rows else None
    message = (
        f"Journal intact : {n_events} événement(s), chaîne vérifiée"
        + (f" jusqu'à l'empreinte {head_hash[:16]}…" if head_hash else "")
        + "."
    )
    return VerifyReport(True, n_events, None, None, message, head_hash=head_hash)


def read_events(conn: sqlite3.Connection) -> list[dict]:
    """Events in storage order, as verification sees them."""
    cursor = conn.execute(f"SELECT {', '.join(EVENT_COLUMNS)} FROM events ORDER BY seq")
    return [dict(zip(EVENT_COLUMNS, row, strict=True)) for row in cursor.fetchall()]


def verify_chain(source: Store | Path | str) -> VerifyReport:
    """Verify the local store's chain (with its sealed head when the store is open)."""
    from assistant.store import Store

    if isinstance(source, Store):
        with source._lock:
            rows = read_events(source.db.conn)
        seal = source.chain_seal()
        head = None
        if seal is not None:
            if not source.cipher.seal_ok(seal_message(seal["seq"], seal["hash"]), seal["mac"]):
                return _bad(
                    "modified",
                    None,
                    len(rows),
                    " (la tête de chaîne scellée ne correspond plus : le journal a été réécrit)",
                )
            head = {"seq": seal["seq"], "hash": seal["hash"]}
        elif rows:
            # Events without any seal: someone removed it to hide a rewrite.
            return _bad("modified", None, len(rows), " (la tête de chaîne scellée a disparu)")
        elif source._one("SELECT 1 FROM cases LIMIT 1"):
            # Every case creation is an event: data without any event means the
            # whole log, seal included, was wiped.
            return _bad("deleted", 1, 0, " (tout le journal a été vidé)")
        report = verify_events(rows, head)
        if report.ok:
            content = _check_content(source)
            if content is not None:
                return content
        return report
    path = Path(source)
    conn = _open_readonly(path)
    try:
        return verify_events(read_events(conn))
    finally:
        conn.close()


def _content_problem(
    events: list[dict], suggestions: Iterable[dict], reviews: Iterable[dict]
) -> VerifyReport | None:
    """Suggestions and reviews must still match the digests their events recorded.

    Only texts an erasure event names are exempt: an ``erased_at`` set by hand
    on a row does not hide a change.
    """
    created, reviewed, erased = {}, {}, set()
    for event in events:
        if event["payload"] is None:
            continue
        payload = json.loads(event["payload"])
        if event["kind"] in ("suggestion.created", "suggestion.cancelled", "suggestion.failed"):
            created[payload["suggestion_id"]] = (event["seq"], payload)
        elif event["kind"] == "suggestion.reviewed":
            reviewed[payload["suggestion_id"]] = (event["seq"], payload)
        elif event["kind"] in ERASURE_KINDS:
            erased.update(payload.get("suggestion_ids", []))
    for s in suggestions:
        if s["id"] in erased or s["id"] not in created:
            continue
        seq, payload = created[s["id"]]
        if sha256_text(s["output"] or "") != payload.get("output_sha256") or (
            "rendered_prompt" in s
            and sha256_text(s["rendered_prompt"] or "") != payload.get("rendered_prompt_sha256")
        ):
            return _bad("modified", seq, len(events), f" (texte de la suggestion {s['id']} changé)")
    for r in reviews:
        sid = r["suggestion_id"]
        if sid in erased or sid not in reviewed:
            continue
        seq, payload = reviewed[sid]
        actual = sha256_text(r["final_text_deid"]) if r["final_text_deid"] is not None else None
        if actual != payload.get("final_text_deid_sha256") or r["decision"] != payload.get(
            "decision"
        ):
            return _bad(
                "modified", seq, len(events), f" (relecture de la suggestion {sid} changée)"
            )
    return None


def _check_content(store: Store) -> VerifyReport | None:
    with store._lock:
        conn = store.db.conn
        events = read_events(conn)
        suggestions = _rows(conn, "suggestions", ("id", "output", "rendered_prompt"), "")
        reviews = _rows(conn, "reviews", ("suggestion_id", "final_text_deid", "decision"), "")
    return _content_problem(events, suggestions, reviews)


def _open_readonly(path: Path) -> sqlite3.Connection:
    if not path.exists():
        raise StoreError(f"Fichier introuvable : {path}.")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            f"{path} n'est pas une base SQLite lisible ({exc}). Vérifiez le fichier."
        ) from exc
    return conn


# --------------------------------------------------------------------------- bundles


@dataclass
class BundleData:
    """The de-identified content of an export, from one store or merged from several."""

    created_at: str
    sources: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)  # each with "source_id"
    suggestions: list[dict] = field(default_factory=list)
    reviews: list[dict] = field(default_factory=list)
    prompt_versions: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def collect_bundle(store: Store) -> BundleData:
    """Read the de-identified part of the store, with the chain head it carries."""
    report = verify_chain(store)
    source_id = store.install_id
    with store._lock:
        conn = store.db.conn
        events = read_events(conn)
        suggestions = _rows(conn, "suggestions", SUGGESTION_COLUMNS, "ORDER BY created_at, rowid")
        reviews = _rows(conn, "reviews", REVIEW_COLUMNS, "ORDER BY created_at, rowid")
        prompts = _rows(conn, "prompt_versions", PROMPT_COLUMNS, "ORDER BY recorded_at")
    for table in (events, suggestions, reviews):
        for row in table:
            row["source_id"] = source_id
    head = events[-1] if events else None
    data = BundleData(created_at=_now())
    data.sources.append(
        {
            "source_id": source_id,
            "exported_at": data.created_at,
            "head_seq": head["seq"] if head else 0,
            "head_hash": head["hash"] if head else GENESIS,
            "verified_at_export": int(report.ok),
            "verify_message": report.message_fr,
        }
    )
    data.events, data.suggestions, data.reviews, data.prompt_versions = (
        events,
        suggestions,
        reviews,
        prompts,
    )
    return data


def _rows(conn: sqlite3.Connection, table: str, columns: tuple[str, ...], order: str) -> list[dict]:
    cursor = conn.execute(f"SELECT {', '.join(columns)} FROM {table} {order}")
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def export_bundle(store: Store, out: Path, fmt: str = "sqlite") -> dict:
    """Write a de-identified export and record it in the chain; returns a summary."""
    data = collect_bundle(store)
    written = write_bundle(data, Path(out), fmt)
    source = data.sources[0]
    store.append_event(
        "audit.exported",
        {
            "format": fmt,
            "head_seq": source["head_seq"],
            "head_hash": source["head_hash"],
            "suggestions": len(data.suggestions),
            "file_sha256": _file_sha256(written),
        },
    )
    return {
        "path": str(written),
        "format": fmt,
        "head_seq": source["head_seq"],
        "head_hash": source["head_hash"],
        "suggestions": len(data.suggestions),
        "verified": bool(source["verified_at_export"]),
    }


def _file_sha256(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_bundle(data: BundleData, out: Path, fmt: str) -> Path:
    if fmt not in EXPORT_FORMATS:
        raise StoreError(
            f"Format d'export inconnu : {fmt} (possibles : {', '.join(EXPORT_FORMATS)})."
        )
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    # Written next to the target then renamed: a half-written export never
    # carries the final name.
    fd, tmp_name = tempfile.mkstemp(prefix=".export-", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if fmt == "sqlite":
            tmp.unlink()
            _write_sqlite(data, tmp)
        elif fmt == "jsonl":
            _write_jsonl(data, tmp)
        elif fmt == "csv":
            _write_csv(data, tmp)
        else:
            tmp.write_text(render_html(data), encoding="utf-8")
        # mkstemp made the file 0600, but SQLite recreates it with the umask's
        # mode: every export format leaves owner-only, like the data directory.
        os.chmod(tmp, 0o600)
        os.replace(tmp, out)
    finally:
        if tmp.exists():
            tmp.unlink()
    return out


def _write_sqlite(data: BundleData, path: Path) -> None:
    from sqlite_utils import Database

    db = Database(path)
    try:
        with db.atomic():
            db["manifest"].insert_all(
                [
                    {"key": "format", "value": BUNDLE_FORMAT},
                    {"key": "version", "value": str(BUNDLE_VERSION)},
                    {"key": "created_at", "value": data.created_at},
                ],
                pk="key",
            )
            db["sources"].insert_all(data.sources, pk="source_id")
            db["events"].create(
                {c: (int if c == "seq" else str) for c in ("source_id", *EVENT_COLUMNS)},
                pk=("source_id", "seq"),
            )
            db["events"].insert_all(data.events)
            if data.suggestions:
                db["suggestions"].insert_all(data.suggestions, pk=("source_id", "id"))
            if data.reviews:
                db["reviews"].insert_all(data.reviews, pk=("source_id", "id"))
            if data.prompt_versions:
                db["prompt_versions"].insert_all(data.prompt_versions, pk="version", replace=True)
    finally:
        db.close()


def _write_jsonl(data: BundleData, path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:

        def emit(record: str, row: dict) -> None:
            fh.write(json.dumps({"record": record, **row}, ensure_ascii=False) + "\n")

        emit(
            "manifest",
            {"format": BUNDLE_FORMAT, "version": BUNDLE_VERSION, "created_at": data.created_at},
        )
        for name, rows in (
            ("source", data.sources),
            ("prompt_version", data.prompt_versions),
            ("suggestion", data.suggestions),
            ("review", data.reviews),
            ("event", data.events),
        ):
            for row in rows:
                emit(name, row)


def _write_csv(data: BundleData, path: Path) -> None:
    """One row per suggestion with its review: the table a spreadsheet user wants."""
    reviews = {(r["source_id"], r["suggestion_id"]): r for r in data.reviews}
    columns = [
        "source_id",
        *SUGGESTION_COLUMNS,
        "review_decision",
        "review_edit_distance",
        "review_reason",
        "review_reviewer",
        "review_created_at",
        "review_final_text_deid",
    ]
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for s in data.suggestions:
            r = reviews.get((s["source_id"], s["id"]), {})
            writer.writerow(
                {
                    **s,
                    "review_decision": r.get("decision"),
                    "review_edit_distance": r.get("edit_distance"),
                    "review_reason": r.get("reason"),
                    "review_reviewer": r.get("reviewer"),
                    "review_created_at": r.get("created_at"),
                    "review_final_text_deid": r.get("final_text_deid"),
                }
            )


def read_bundle(path: Path) -> BundleData:
    """Read back a sqlite or jsonl bundle (csv and html are reports, not bundles)."""
    path = Path(path)
    if not path.exists():
        raise StoreError(f"Fichier introuvable : {path}.")
    with path.open("rb") as fh:
        magic = fh.read(16)
    if magic == b"SQLite format 3\x00":
        return _read_sqlite_bundle(path)
    return _read_jsonl_bundle(path)


def _read_sqlite_bundle(path: Path) -> BundleData:
    conn = _open_readonly(path)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "manifest" not in tables or "events" not in tables:
            raise StoreError(f"{path} n'est pas un export d'audit de l'assistant.")
        manifest = dict(conn.execute("SELECT key, value FROM manifest").fetchall())
        if manifest.get("format") != BUNDLE_FORMAT:
            raise StoreError(f"{path} n'est pas un export d'audit de l'assistant.")

        def rows(table: str) -> list[dict]:
            if table not in tables:
                return []
            cursor = conn.execute(f"SELECT * FROM {table}")
            cols = [c[0] for c in cursor.description]
            return [dict(zip(cols, r, strict=True)) for r in cursor.fetchall()]

        events = [
            dict(zip(("source_id", *EVENT_COLUMNS), r, strict=True))
            for r in conn.execute(
                f"SELECT source_id, {', '.join(EVENT_COLUMNS)} FROM events ORDER BY source_id, seq"
            ).fetchall()
        ]
        return BundleData(
            created_at=manifest.get("created_at", ""),
            sources=rows("sources"),
            events=events,
            suggestions=rows("suggestions"),
            reviews=rows("reviews"),
            prompt_versions=rows("prompt_versions"),
        )
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path} est illisible ({exc}).") from exc
    finally:
        conn.close()


def _read_jsonl_bundle(path: Path) -> BundleData:
    data = BundleData(created_at="")
    targets = {
        "source": data.sources,
        "prompt_version": data.prompt_versions,
        "suggestion": data.suggestions,
        "review": data.reviews,
        "event": data.events,
    }
    try:
        with path.open(encoding="utf-8") as fh:
            for number, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                row = json.loads(line)
                record = row.pop("record", None)
                if record == "manifest":
                    if row.get("format") != BUNDLE_FORMAT:
                        raise StoreError(f"{path} n'est pas un export d'audit de l'assistant.")
                    data.created_at = row.get("created_at", "")
                elif record in targets:
                    targets[record].append(row)
                else:
                    raise StoreError(f"{path}, ligne {number} : enregistrement inconnu.")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StoreError(
            f"{path} n'est ni un export SQLite ni un export JSONL de l'assistant "
            "(les exports csv et html sont des rapports : vérifiez l'export sqlite ou jsonl)."
        ) from exc
    return data


def verify_bundle(path: Path, expected_head: str | None = None) -> VerifyReport:
    """Verify every chain in a bundle against the head its manifest carries.

    A bundle has no sealed head (the key stays with its author), so a bundle
    rewritten from end to end is only caught against the head printed at export
    time: pass it as ``expected_head`` (the full hash or its first 16 characters).
    """
    data = read_bundle(Path(path))
    reports = verify_data(data)
    if expected_head:
        wanted = expected_head.strip().lower()
        if len(wanted) < 16:
            raise StoreError("Donnez au moins les 16 premiers caractères de l'empreinte notée.")
        if not any((r.head_hash or "").startswith(wanted) for r in reports):
            return _bad(
                "modified",
                None,
                sum(r.events for r in reports),
                " (sa tête de chaîne n'est pas celle notée lors de l'export)",
            )
    bad = [r for r in reports if not r.ok]
    total = sum(r.events for r in reports)
    if bad:
        first = bad[0]
        prefix = f"Source {first.source} : " if len(reports) > 1 else ""
        return VerifyReport(
            False,
            first.events,
            first.first_bad,
            first.problem,
            prefix + first.message_fr,
            source=first.source,
            details=tuple(r.message_fr for r in reports),
        )
    heads = ", ".join(f"{(r.head_hash or GENESIS)[:16]}…" for r in reports)
    return VerifyReport(
        True,
        total,
        None,
        None,
        f"Export intact : {len(reports)} source(s), {total} événement(s) ; tête(s) de chaîne {heads}"
        " — comparez-la avec celle affichée lors de l'export.",
        head_hash=reports[0].head_hash if len(reports) == 1 else None,
        details=tuple(r.message_fr for r in reports),
    )


def verify_data(data: BundleData) -> list[VerifyReport]:
    by_source: dict[str, list[dict]] = defaultdict(list)
    for event in data.events:
        by_source[event["source_id"]].append(event)
    reports = []
    for source in data.sources:
        sid = source["source_id"]
        head = {"seq": source["head_seq"], "hash": source["head_hash"]}
        # The claimed order, as in the store: a sequence number edited without
        # moving the row then shows up as a reordering.
        rows = sorted(by_source.get(sid, []), key=lambda e: e["seq"])
        report = verify_events(rows, head)
        if report.ok:
            report = _check_bundle_content(data, sid, rows) or report
        reports.append(
            VerifyReport(
                report.ok,
                report.events,
                report.first_bad,
                report.problem,
                report.message_fr,
                head_hash=report.head_hash,
                source=sid,
            )
        )
    unknown = set(by_source) - {s["source_id"] for s in data.sources}
    for sid in sorted(unknown):
        reports.append(
            VerifyReport(
                False,
                len(by_source[sid]),
                1,
                "inserted",
                f"Journal altéré : des événements d'une source non déclarée ({sid}) ont été ajoutés.",
                source=sid,
            )
        )
    return reports


def _check_bundle_content(
    data: BundleData, source_id: str, events: list[dict]
) -> VerifyReport | None:
    return _content_problem(
        events,
        (s for s in data.suggestions if s["source_id"] == source_id),
        (r for r in data.reviews if r["source_id"] == source_id),
    )


def load_bundle(path: Path) -> tuple[list[dict], list[dict]]:
    """Suggestions (shaped like ``Suggestion.to_dict()``, plus ``source_id``) and events."""
    data = read_bundle(Path(path))
    return _suggestion_dicts(data), [_event_dict(e) for e in data.events]


def _event_dict(event: dict) -> dict:
    return {
        **event,
        "payload": json.loads(event["payload"]) if event["payload"] is not None else None,
    }


def _suggestion_dicts(data: BundleData) -> list[dict]:
    reviews = {(r["source_id"], r["suggestion_id"]): r for r in data.reviews}
    out = []
    for s in data.suggestions:
        item = {k: s.get(k) for k in SUGGESTION_COLUMNS if k != "erased_at"}
        item["source_id"] = s["source_id"]
        item["params"] = json.loads(s["params"]) if isinstance(s["params"], str) else s["params"]
        item["allow_unapproved"] = bool(s["allow_unapproved"])
        r = reviews.get((s["source_id"], s["id"]))
        item["review"] = {k: r.get(k) for k in REVIEW_COLUMNS} if r else None
        out.append(item)
    return out


def merge_bundles(paths: Iterable[Path]) -> BundleData:
    """Several practitioners' bundles as one institution-wide view.

    Each source keeps its own chain. The same source exported twice keeps the
    longest export, after checking the shorter one is a prefix of it.
    """
    merged = BundleData(created_at=_now())
    chosen: dict[str, BundleData] = {}
    for path in paths:
        data = read_bundle(Path(path))
        for source in data.sources:
            sid = source["source_id"]
            part = _only_source(data, sid)
            if sid in chosen:
                old = chosen[sid]
                short, long_ = sorted((old, part), key=lambda d: d.sources[0]["head_seq"])
                head = short.sources[0]
                match = [e for e in long_.events if e["seq"] == head["head_seq"]]
                if head["head_seq"] and (not match or match[0]["hash"] != head["head_hash"]):
                    merged.warnings.append(
                        f"La source {sid} apparaît dans deux exports incompatibles : "
                        "l'un des deux a été modifié."
                    )
                chosen[sid] = long_
            else:
                chosen[sid] = part
        seen_versions = {p["version"] for p in merged.prompt_versions}
        for prompt in data.prompt_versions:
            if prompt["version"] not in seen_versions:
                merged.prompt_versions.append(prompt)
                seen_versions.add(prompt["version"])
    for part in chosen.values():
        merged.sources.extend(part.sources)
        merged.events.extend(part.events)
        merged.suggestions.extend(part.suggestions)
        merged.reviews.extend(part.reviews)
    return merged


def _only_source(data: BundleData, sid: str) -> BundleData:
    return BundleData(
        created_at=data.created_at,
        sources=[s for s in data.sources if s["source_id"] == sid],
        events=[e for e in data.events if e["source_id"] == sid],
        suggestions=[s for s in data.suggestions if s["source_id"] == sid],
        reviews=[r for r in data.reviews if r["source_id"] == sid],
    )


# --------------------------------------------------------------------------- report


@dataclass
class GroupStats:
    label: str
    detail: str
    total: int = 0
    accepted: int = 0
    edited: int = 0
    rejected: int = 0
    pending: int = 0
    other: int = 0  # cancelled, failed, interrupted
    distances: list[int] = field(default_factory=list)
    reasons: Counter = field(default_factory=Counter)

    @property
    def reviewed(self) -> int:
        return self.accepted + self.edited + self.rejected

    def rate(self, count: int) -> float | None:
        return count / self.reviewed if self.reviewed else None


DISTANCE_BUCKETS = (
    (0, 0, "0 (inchangé)"),
    (1, 20, "1–20"),
    (21, 100, "21–100"),
    (101, 300, "101–300"),
    (301, None, "plus de 300"),
)


def compute_stats(data: BundleData) -> tuple[list[GroupStats], list[GroupStats]]:
    """Per prompt version and per model."""
    reviews = {(r["source_id"], r["suggestion_id"]): r for r in data.reviews}
    prompt_titles = {p["version"]: p["prompt_id"] for p in data.prompt_versions}
    by_prompt: dict[str, GroupStats] = {}
    by_model: dict[str, GroupStats] = {}
    for s in data.suggestions:
        if s["status"] == "generating":
            continue
        review = reviews.get((s["source_id"], s["id"]))
        pkey = s["prompt_version"] or "?"
        mkey = s["model_sha256"] or "?"
        groups = (
            by_prompt.setdefault(
                pkey,
                GroupStats(
                    label=prompt_titles.get(pkey, s["prompt_id"] or "?"),
                    detail=f"version {pkey[:12]}",
                ),
            ),
            by_model.setdefault(
                mkey, GroupStats(label=s["model_name"] or "?", detail=f"SHA-256 {mkey[:12]}")
            ),
        )
        for g in groups:
            g.total += 1
            status = review["decision"] if review else s["status"]
            if status == "accepted":
                g.accepted += 1
            elif status == "edited":
                g.edited += 1
            elif status == "rejected":
                g.rejected += 1
            elif status == "pending":
                g.pending += 1
            else:
                g.other += 1
            if review and review["edit_distance"] is not None:
                g.distances.append(int(review["edit_distance"]))
            if review and review["decision"] == "rejected":
                g.reasons[(review["reason"] or "sans motif").strip()] += 1
    order = lambda g: (g.label, g.detail)  # noqa: E731
    return sorted(by_prompt.values(), key=order), sorted(by_model.values(), key=order)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f} %"


def _bar_svg(g: GroupStats) -> str:
    """One stacked bar: what became of the drafts of this group."""
    parts = [
        (g.accepted, "#2e7d32", "acceptées"),
        (g.edited, "#ef6c00", "modifiées"),
        (g.rejected, "#c62828", "rejetées"),
        (g.pending, "#9e9e9e", "en attente"),
        (g.other, "#cfd8dc", "annulées / échouées"),
    ]
    width, x, rects = 420, 0.0, []
    for count, color, name in parts:
        if not count:
            continue
        w = width * count / g.total
        rects.append(
            f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="22" fill="{color}">'
            f"<title>{count} {name}</title></rect>"
        )
        x += w
    return (
        f'<svg role="img" aria-label="Répartition des décisions" width="{width}" height="22" '
        f'viewBox="0 0 {width} 22">{"".join(rects)}</svg>'
    )


def _histogram_svg(distances: list[int]) -> str:
    counts = [
        sum(1 for d in distances if d >= lo and (hi is None or d <= hi))
        for lo, hi, _ in DISTANCE_BUCKETS
    ]
    top = max(counts) or 1
    bars = []
    for i, ((_, _, name), count) in enumerate(zip(DISTANCE_BUCKETS, counts, strict=True)):
        h = 80 * count / top
        x = 10 + i * 80
        bars.append(
            f'<rect x="{x}" y="{90 - h:.1f}" width="60" height="{h:.1f}" fill="#1565c0">'
            f"<title>{count} texte(s) : {html.escape(name)} caractères modifiés</title></rect>"
            f'<text x="{x + 30}" y="{86 - h:.1f}" text-anchor="middle" font-size="11">{count}</text>'
            f'<text x="{x + 30}" y="106" text-anchor="middle" font-size="10">{html.escape(name)}</text>'
        )
    return (
        '<svg role="img" aria-label="Nombre de caractères modifiés par relecture" width="420" '
        f'height="112" viewBox="0 0 420 112">{"".join(bars)}</svg>'
    )


def _group_section(title: str, column: str, intro: str, groups: list[GroupStats]) -> str:
    if not groups:
        return f"<h2>{title}</h2><p>Aucune suggestion.</p>"
    rows, cards = [], []
    for g in groups:
        name = f"{html.escape(g.label)}<br><small>{html.escape(g.detail)}</small>"
        rows.append(
            f"<tr><td>{name}</td><td>{g.total}</td><td>{g.reviewed}</td>"
            f"<td>{_pct(g.rate(g.accepted))}</td><td>{_pct(g.rate(g.edited))}</td>"
            f"<td>{_pct(g.rate(g.rejected))}</td><td>{g.pending}</td>"
            f"<td>{statistics.median(g.distances) if g.distances else '—'}</td></tr>"
        )
        reasons = "".join(
            f"<li>{html.escape(reason)} : {count}</li>" for reason, count in g.reasons.most_common()
        )
        caution = (
            f'<p class="note">Seulement {g.reviewed} suggestion(s) relue(s) : '
            "ces pourcentages sont indicatifs.</p>"
            if g.reviewed < 10
            else ""
        )
        cards.append(
            f'<section class="card"><h3>{name}</h3>{_bar_svg(g)}{caution}'
            f"<p>{g.accepted} acceptée(s) telle(s) quelle(s), {g.edited} modifiée(s), "
            f"{g.rejected} rejetée(s), {g.pending} en attente, {g.other} annulée(s) ou échouée(s).</p>"
            f"<h4>Ampleur des modifications (caractères changés)</h4>{_histogram_svg(g.distances)}"
            f"<h4>Motifs de rejet</h4><ul>{reasons or '<li>Aucun rejet.</li>'}</ul></section>"
        )
    return (
        f"<h2>{title}</h2><p>{intro} Les pourcentages portent sur les suggestions relues.</p>"
        f"<table><thead><tr><th>{column}</th><th>Suggestions</th>"
        "<th>Relues</th><th>Acceptées telles quelles</th><th>Modifiées</th><th>Rejetées</th>"
        "<th>En attente</th><th>Modification médiane (caractères)</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>{''.join(cards)}"
    )


def _overview(data: BundleData, by_model: list[GroupStats]) -> str:
    """The four numbers a committee member reads first."""
    dates = sorted(s["created_at"] for s in data.suggestions if s.get("created_at"))
    period = f"du {dates[0][:10]} au {dates[-1][:10]}" if dates else "aucune suggestion"
    total = sum(g.total for g in by_model)
    reviewed = sum(g.reviewed for g in by_model)
    kept = sum(g.accepted + g.edited for g in by_model)
    rejected = sum(g.rejected for g in by_model)

    def kpi(value: str, label: str) -> str:
        return f'<span class="kpi"><span class="big">{value}</span>{label}</span>'

    return (
        f"<h2>En bref</h2><p>Période couverte : {period} ; "
        f"{len(data.sources)} poste(s) de travail.</p><p>"
        + kpi(str(total), "suggestions produites")
        + kpi(str(reviewed), "relues par leur auteur")
        + kpi(_pct(kept / reviewed if reviewed else None), "retenues (telles quelles ou modifiées)")
        + kpi(_pct(rejected / reviewed if reviewed else None), "rejetées")
        + "</p>"
    )


def render_html(data: BundleData) -> str:
    """A self-contained French report for a supervisor or an ethics committee."""
    by_prompt, by_model = compute_stats(data)
    reports = verify_data(data)
    sources = "".join(
        f"<tr><td><code>{html.escape(r.source or '')}</code></td><td>{r.events}</td>"
        f"<td>{'✅ intact' if r.ok else '❌ altéré'}</td><td>{html.escape(r.message_fr)}</td>"
        f"<td><code>{html.escape((r.head_hash or '')[:16])}</code></td></tr>"
        for r in reports
    )
    warnings = "".join(f"<p class='warn'>{html.escape(w)}</p>" for w in data.warnings)
    legend = (
        '<p class="legend"><span style="background:#2e7d32"></span>acceptée telle quelle '
        '<span style="background:#ef6c00"></span>modifiée puis acceptée '
        '<span style="background:#c62828"></span>rejetée '
        '<span style="background:#9e9e9e"></span>en attente '
        '<span style="background:#cfd8dc"></span>annulée ou échouée</p>'
    )
    return f"""<!doctype html>
<html lang="fr"><head><meta charset="utf-8">
<title>Rapport d'audit — assistant d'écriture</title>
<style>
body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.45}}
table{{border-collapse:collapse;width:100%;margin:1rem 0}}th,td{{border:1px solid #ccc;padding:.35rem .5rem;text-align:left;vertical-align:top}}
th{{background:#f3f3f3}}.card{{border:1px solid #ddd;border-radius:6px;padding:.5rem 1rem;margin:1rem 0}}
.legend span{{display:inline-block;width:.9rem;height:.9rem;margin:0 .3rem 0 .8rem;vertical-align:middle}}
.warn{{color:#b71c1c;font-weight:bold}}small{{color:#666}}.note{{color:#6d4c41;font-style:italic}}
.big{{font-size:1.6rem;font-weight:bold;display:block}}.kpi{{display:inline-block;margin:0 2rem .5rem 0}}
</style></head><body>
<h1>Rapport d'audit de l'assistant d'écriture</h1>
<p>Généré le {html.escape(data.created_at)}. Ce rapport ne contient <strong>aucune donnée personnelle</strong> :
les notes ont été pseudonymisées (les personnes y apparaissent sous la forme &lt;PERSONNE_1&gt;) avant
tout traitement par le modèle, et seuls ces textes pseudonymisés sont exportés.</p>
<h2>Comment lire ce rapport</h2>
<p>Chaque fois qu'un professionnel demande un brouillon, l'assistant enregistre une « suggestion ».
Le professionnel la relit puis l'<em>accepte telle quelle</em>, la <em>modifie</em> avant de l'accepter,
ou la <em>rejette</em> en donnant un motif. Un taux de rejet élevé ou des modifications importantes
signalent un modèle de consigne (« prompt ») ou un modèle de langue peu adapté.
La « modification » se mesure en nombre de caractères changés entre le brouillon et le texte retenu.</p>
<h2>Intégrité du journal</h2>
<p>Chaque événement est chaîné au précédent par une empreinte cryptographique : toute modification,
suppression, insertion ou inversion d'événements est détectée.</p>
{warnings}
<table><thead><tr><th>Source (poste)</th><th>Événements</th><th>État</th><th>Détail</th><th>Tête de chaîne</th></tr></thead>
<tbody>{sources}</tbody></table>
{legend}
{_overview(data, by_model)}
{_group_section("Par version de consigne (prompt)", "Consigne", "Une version correspond au contenu exact du fichier de consigne utilisé.", by_prompt)}
{_group_section("Par modèle de langue", "Modèle", "Le modèle est identifié par son nom et l'empreinte SHA-256 de son fichier.", by_model)}
</body></html>
"""


# --------------------------------------------------------------------------- retention


def purge_raw_notes(store: Store, days: int, *, now: datetime | None = None) -> int:
    """Drop the encrypted raw text of notes older than ``days`` (and their final texts).

    The de-identified text, the suggestions and the chain stay: the audit keeps
    working, only what could re-identify someone goes.
    """
    if days < 0:
        raise StoreError("La durée de conservation doit être un nombre de jours positif.")
    moment = now or datetime.now(UTC)
    cutoff = (moment - timedelta(days=days)).isoformat(timespec="microseconds")
    with store.transaction():
        notes = [
            r[0]
            for r in store.db.execute(
                "SELECT id FROM notes WHERE raw_enc IS NOT NULL AND created_at < ?", [cutoff]
            ).fetchall()
        ]
        if not notes:
            return 0
        marks = ",".join("?" * len(notes))
        store.db.execute(
            f"UPDATE notes SET raw_enc = NULL, raw_purged_at = ? WHERE id IN ({marks})",
            [moment.isoformat(timespec="microseconds"), *notes],
        )
        finals = store.db.execute(
            "UPDATE reviews SET final_raw_enc = NULL WHERE final_raw_enc IS NOT NULL AND "
            f"suggestion_id IN (SELECT id FROM suggestions WHERE note_id IN ({marks}))",
            notes,
        ).rowcount
        store.append_event(
            "retention.purged",
            {"days": days, "cutoff": cutoff, "note_ids": notes, "final_texts": finals},
        )
    _scrub(store)
    return len(notes)


def _scrub(store: Store) -> None:
    """Push erased content out of the WAL and the search index's old segments."""
    with store._lock:
        store.db.execute("INSERT INTO suggestions_fts(suggestions_fts) VALUES ('optimize')")
        # Another reader may hold the WAL; the next checkpoint will then do it.
        with contextlib.suppress(sqlite3.OperationalError):
            store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


@dataclass(frozen=True)
class ErasureReport:
    cases: list[str]
    placeholders: list[str]
    notes: int
    suggestions: int
    events_redacted: int


def erase_person(
    store: Store, *, case_id: str | None = None, name: str | None = None
) -> ErasureReport:
    """Erase everything about one person (GDPR art. 17).

    With only ``case_id``: the whole case goes (label, roster, mapping, raw and
    de-identified notes, drafts, final texts, event payloads); counts, decisions
    and edit distances stay so the statistics and the chain remain.
    With ``name``: that person is removed from the roster and the mapping of the
    case (or of every case), and their name is replaced by their placeholder in
    the raw notes and final texts; the others in the case are kept.
    """
    if not case_id and not (name and name.strip()):
        raise StoreError("Indiquez le dossier ou le nom de la personne à effacer.")
    if name and name.strip():
        return _erase_name(store, name.strip(), case_id)
    assert case_id is not None
    return _erase_case(store, case_id)


def _erase_case(store: Store, case_id: str) -> ErasureReport:
    now = datetime.now(UTC).isoformat(timespec="microseconds")
    with store.transaction():
        store.get_case(case_id)  # unknown case -> French error
        db = store.db
        db.execute("UPDATE cases SET label_enc = NULL, erased_at = ? WHERE id = ?", [now, case_id])
        for table in ("rosters", "mappings", "overrides"):
            db.execute(f"DELETE FROM {table} WHERE case_id = ?", [case_id])
        notes = db.execute(
            "UPDATE notes SET raw_enc = NULL, deid_text = NULL, entities = NULL, erased_at = ? "
            "WHERE case_id = ?",
            [now, case_id],
        ).rowcount
        db.execute(
            "UPDATE reviews SET final_raw_enc = NULL, final_text_deid = NULL "
            "WHERE suggestion_id IN (SELECT id FROM suggestions WHERE case_id = ?)",
            [case_id],
        )
        suggestion_ids = [
            r[0] for r in db.execute("SELECT id FROM suggestions WHERE case_id = ?", [case_id])
        ]
        suggestions = db.execute(
            "UPDATE suggestions SET rendered_prompt = NULL, output = NULL, error = NULL, flags = NULL, "
            "erased_at = ? WHERE case_id = ?",
            [now, case_id],
        ).rowcount
        seqs = [
            r[0]
            for r in db.execute(
                "SELECT seq FROM events WHERE subject = ? AND payload IS NOT NULL", [case_id]
            ).fetchall()
        ]
        db.execute("UPDATE events SET payload = NULL WHERE subject = ?", [case_id])
        store.append_event(
            "erasure.case",
            {
                "case_id": case_id,
                "notes": notes,
                "suggestions": suggestions,
                "suggestion_ids": suggestion_ids,
                "redacted_events": seqs,
            },
        )
    _scrub(store)
    return ErasureReport([case_id], [], notes, suggestions, len(seqs))


def _norm(text: str) -> str:
    """Case- and accent-insensitive form, the one the pseudonym map uses."""
    from assistant.deid.types import PseudonymMap

    return PseudonymMap.key("", text).split(":", 1)[1]


def _redactor(spellings: set[str], placeholder: str) -> Callable[[str], str]:
    pattern = re.compile(
        "|".join(re.escape(s) for s in sorted(spellings, key=len, reverse=True)), re.IGNORECASE
    )
    return lambda text: pattern.sub(placeholder, text)


def _erase_name(store: Store, name: str, case_id: str | None) -> ErasureReport:
    wanted = _norm(name)
    touched, placeholders, notes_changed, finals_changed = [], [], 0, 0
    redacted_suggestions: list[str] = []
    with store.transaction():
        cases = [case_id] if case_id else [c.id for c in store.list_cases()]
        for cid in cases:
            store.get_case(cid)
            mapping = store.get_mapping(cid)
            roster = store.get_roster(cid)
            # Every spelling of this person: the name asked, their roster aliases,
            # and the originals the mapping holds for them.
            spellings = {name}
            kept = []
            for person in roster:
                names = (person.name, *person.aliases)
                if wanted in {_norm(n) for n in names}:
                    spellings.update(names)
                else:
                    kept.append(person)
            keys = {_norm(x) for x in spellings}
            hits = sorted(p for p, orig in mapping.by_placeholder.items() if _norm(orig) in keys)
            # Raw texts are searched even when the name is in neither list: a
            # mention the de-identification missed is still about this person.
            before = notes_changed + finals_changed
            placeholders.extend(hits)
            spellings.update(mapping.by_placeholder[p] for p in hits)
            redact = _redactor(spellings, hits[0] if hits else "[personne effacée]")
            for note in store.list_notes(cid):
                if note.raw_text is not None and redact(note.raw_text) != note.raw_text:
                    store.db.execute(
                        "UPDATE notes SET raw_enc = ? WHERE id = ?",
                        [store.encrypt(redact(note.raw_text), f"notes.raw:{note.id}"), note.id],
                    )
                    notes_changed += 1
            finals = store.db.execute(
                "SELECT r.id, r.final_raw_enc FROM reviews r JOIN suggestions s "
                "ON s.id = r.suggestion_id WHERE s.case_id = ? AND r.final_raw_enc IS NOT NULL",
                [cid],
            ).fetchall()
            for rid, blob in finals:
                context = f"reviews.final_raw:{rid}"
                old = store.decrypt(blob, context)
                if redact(old) != old:
                    store.db.execute(
                        "UPDATE reviews SET final_raw_enc = ? WHERE id = ?",
                        [store.encrypt(redact(old), context), rid],
                    )
                    finals_changed += 1
            # A name left in clear in de-identified texts (a miss of the
            # de-identification) goes too; those suggestions are listed in the
            # event so their changed digests are expected.
            for nid, text in store.db.execute(
                "SELECT id, deid_text FROM notes WHERE case_id = ? AND deid_text IS NOT NULL", [cid]
            ).fetchall():
                if redact(text) != text:
                    store.db.execute(
                        "UPDATE notes SET deid_text = ? WHERE id = ?", [redact(text), nid]
                    )
                    notes_changed += 1
            for sid, rendered, output, final_deid, rid in store.db.execute(
                "SELECT s.id, s.rendered_prompt, s.output, r.final_text_deid, r.id FROM suggestions s "
                "LEFT JOIN reviews r ON r.suggestion_id = s.id WHERE s.case_id = ?",
                [cid],
            ).fetchall():
                new = [redact(t) if t is not None else None for t in (rendered, output, final_deid)]
                if new != [rendered, output, final_deid]:
                    store.db.execute(
                        "UPDATE suggestions SET rendered_prompt = ?, output = ? WHERE id = ?",
                        [new[0], new[1], sid],
                    )
                    if rid is not None:
                        store.db.execute(
                            "UPDATE reviews SET final_text_deid = ? WHERE id = ?", [new[2], rid]
                        )
                    redacted_suggestions.append(sid)
            if (
                hits
                or len(kept) != len(roster)
                or notes_changed + finals_changed > before
                or redacted_suggestions
            ):
                touched.append(cid)
            if hits:
                for p in hits:
                    mapping.by_placeholder.pop(p, None)
                # Counters stay: a placeholder number is never given to someone else.
                mapping.by_key = {k: v for k, v in mapping.by_key.items() if v not in hits}
                store.save_mapping(cid, mapping)
            if len(kept) != len(roster):
                store.db.execute(
                    "UPDATE rosters SET people_enc = ? WHERE case_id = ?",
                    [
                        store.encrypt(
                            canonical_json([p.to_dict() for p in kept]), f"rosters.people:{cid}"
                        ),
                        cid,
                    ],
                )
            for oid, blob in store.db.execute(
                "SELECT id, override_enc FROM overrides WHERE case_id = ?", [cid]
            ).fetchall():
                if _norm(json.loads(store.decrypt(blob, f"overrides:{oid}"))["text"]) in keys:
                    store.db.execute("DELETE FROM overrides WHERE id = ?", [oid])
        if not touched:
            raise StoreError(
                "Aucune personne de ce nom n'a été trouvée dans les dossiers : rien n'a été "
                "effacé. Vérifiez l'orthographe ou précisez le dossier."
            )
        store.append_event(
            "erasure.person",
            {
                "case_ids": touched,
                "placeholders": placeholders,
                "notes": notes_changed,
                "final_texts": finals_changed,
                "suggestion_ids": redacted_suggestions,
                "redacted_events": [],
            },
        )
    _scrub(store)
    return ErasureReport(touched, placeholders, notes_changed, finals_changed, 0)
