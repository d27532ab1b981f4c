"""The audit chain names each kind of tampering; erasure, purge and exports keep it verifiable.

Tampering is done the way an intruder with a SQLite shell would: straight on the
database or bundle file, bypassing the store.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant import audit
from assistant.store import Store
from assistant.store.chain import canonical_json, link_hash, payload_digest
from tests.conftest import TEST_PASSPHRASE
from tests.store.seed import SECRETS, Seeded, add_suggestion, raw_connection, seed


@pytest.fixture
def store(home: Path):
    opened = Store.open(home, TEST_PASSPHRASE)
    seed(opened)
    yield opened
    opened.close()


def _conn(store: Store) -> sqlite3.Connection:
    return raw_connection(store.path)


def _event(conn: sqlite3.Connection, seq: int) -> dict:
    cursor = conn.execute("SELECT * FROM events WHERE seq = ?", [seq])
    cols = [c[0] for c in cursor.description]
    return dict(zip(cols, cursor.fetchone(), strict=True))


def _forge(seq: int, prev_hash: str, kind: str = "suggestion.reviewed") -> dict:
    """An event computed exactly as the store would, by someone who read the code."""
    payload = canonical_json({"suggestion_id": "forged", "decision": "accepted"})
    digest = payload_digest(payload)
    created = datetime.now(UTC).isoformat()
    return {
        "seq": seq,
        "id": "f0f0f0f0f0f0",
        "kind": kind,
        "created_at": created,
        "subject": None,
        "payload": payload,
        "payload_digest": digest,
        "prev_hash": prev_hash,
        "hash": link_hash(seq, "f0f0f0f0f0f0", kind, created, digest, prev_hash),
    }


def _insert(conn: sqlite3.Connection, row: dict) -> None:
    cols = ", ".join(row)
    conn.execute(
        f"INSERT INTO events ({cols}) VALUES ({', '.join('?' * len(row))})", list(row.values())
    )


def _shift(conn: sqlite3.Connection, from_seq: int, by: int) -> None:
    conn.execute("UPDATE events SET seq = seq + 100000 WHERE seq >= ?", [from_seq])
    conn.execute("UPDATE events SET seq = seq - 100000 + ? WHERE seq >= 100000", [by])


def _count(store: Store) -> int:
    return len(store.list_events())


def test_intact_chain_verifies(store: Store) -> None:
    report = audit.verify_chain(store)
    assert report.ok and report.problem is None and report.events == _count(store)
    assert "intact" in report.message_fr


def test_modified_payload_is_named(store: Store) -> None:
    conn = _conn(store)
    conn.execute(
        "UPDATE events SET payload = replace(payload, 'rejected', 'accepted') "
        "WHERE kind = 'suggestion.reviewed' AND payload LIKE '%rejected%'"
    )
    seq = conn.execute(
        "SELECT seq FROM events WHERE kind = 'suggestion.reviewed' ORDER BY seq DESC LIMIT 1"
    ).fetchone()[0]
    report = audit.verify_chain(store)
    assert (report.ok, report.problem, report.first_bad) == (False, "modified", seq)
    assert f"n° {seq} a été modifié" in report.message_fr


def test_modified_event_with_recomputed_hash_is_still_caught(store: Store) -> None:
    conn = _conn(store)
    row = _event(conn, 3)
    payload = row["payload"].replace("synthese", "autre")
    digest = payload_digest(payload)
    new_hash = link_hash(3, row["id"], row["kind"], row["created_at"], digest, row["prev_hash"])
    conn.execute(
        "UPDATE events SET payload = ?, payload_digest = ?, hash = ? WHERE seq = 3",
        [payload, digest, new_hash],
    )
    report = audit.verify_chain(store)
    assert (report.problem, report.first_bad) == ("modified", 3)


def test_whole_chain_rewritten_without_the_key_is_caught(store: Store) -> None:
    conn = _conn(store)
    rows = [_event(conn, s) for s in range(1, _count(store) + 1)]
    prev = "0" * 64
    for row in rows:
        if row["seq"] == 2:
            row["payload"] = row["payload"].replace('"people":2', '"people":1')
            row["payload_digest"] = payload_digest(row["payload"])
        row["prev_hash"] = prev
        row["hash"] = link_hash(
            row["seq"], row["id"], row["kind"], row["created_at"], row["payload_digest"], prev
        )
        prev = row["hash"]
        conn.execute(
            "UPDATE events SET payload = ?, payload_digest = ?, prev_hash = ?, hash = ? WHERE seq = ?",
            [row["payload"], row["payload_digest"], row["prev_hash"], row["hash"], row["seq"]],
        )
    seal = {"seq": rows[-1]["seq"], "hash": prev, "mac": "0" * 64}
    conn.execute("UPDATE meta SET value = ? WHERE key = 'chain_seal'", [json.dumps(seal)])
    report = audit.verify_chain(store)
    assert (report.ok, report.problem) == (False, "modified")
    assert "réécrit" in report.message_fr


def test_deleted_event_is_named(store: Store) -> None:
    _conn(store).execute("DELETE FROM events WHERE seq = 4")
    report = audit.verify_chain(store)
    assert (report.problem, report.first_bad) == ("deleted", 4)
    assert "n° 4 a été supprimé" in report.message_fr


def test_deleted_last_events_are_caught_by_the_sealed_head(store: Store) -> None:
    n = _count(store)
    _conn(store).execute("DELETE FROM events WHERE seq >= ?", [n - 1])
    report = audit.verify_chain(store)
    assert (report.problem, report.first_bad) == ("deleted", n - 1)


def test_wiping_the_whole_log_and_its_seal_is_caught(store: Store) -> None:
    conn = _conn(store)
    conn.execute("DELETE FROM events")
    conn.execute("DELETE FROM meta WHERE key = 'chain_seal'")
    report = audit.verify_chain(store)
    assert (report.ok, report.problem, report.first_bad) == (False, "deleted", 1)


def test_inserted_event_in_the_middle_is_named(store: Store) -> None:
    conn = _conn(store)
    prev = _event(conn, 4)["hash"]
    _shift(conn, 5, 1)
    _insert(conn, _forge(5, prev))
    report = audit.verify_chain(store)
    assert (report.problem, report.first_bad) == ("inserted", 5)
    assert "inséré en position n° 5" in report.message_fr


def test_inserted_event_at_the_end_is_named(store: Store) -> None:
    conn = _conn(store)
    n = _count(store)
    _insert(conn, _forge(n + 1, _event(conn, n)["hash"]))
    report = audit.verify_chain(store)
    assert (report.problem, report.first_bad) == ("inserted", n + 1)


def test_reordered_events_are_named(store: Store) -> None:
    conn = _conn(store)
    _shift(conn, 6, 0)
    conn.execute("UPDATE events SET seq = 100 WHERE seq = 6")
    conn.execute("UPDATE events SET seq = 6 WHERE seq = 7")
    conn.execute("UPDATE events SET seq = 7 WHERE seq = 100")
    report = audit.verify_chain(store)
    assert (report.problem, report.first_bad) == ("reordered", 6)
    assert "ordre des événements" in report.message_fr


def test_payload_dropped_without_an_erasure_is_caught(store: Store) -> None:
    _conn(store).execute("UPDATE events SET payload = NULL WHERE seq = 5")
    report = audit.verify_chain(store)
    assert (report.problem, report.first_bad) == ("modified", 5)


def test_suggestion_text_changed_behind_the_log_is_caught(store: Store) -> None:
    sid = store.list_suggestions(status="rejected")[0].id
    _conn(store).execute("UPDATE suggestions SET output = 'Texte parfait' WHERE id = ?", [sid])
    report = audit.verify_chain(store)
    created = [
        e for e in store.list_events("suggestion.created") if e.payload["suggestion_id"] == sid
    ]
    assert (report.problem, report.first_bad) == ("modified", created[0].seq)
    assert sid in report.message_fr


def test_case_erasure_then_verify_passes(store: Store) -> None:
    case_id = store.list_cases()[0].id
    report = audit.erase_person(store, case_id=case_id)
    assert report.events_redacted > 0
    assert audit.verify_chain(store).ok
    note = store.list_notes(case_id)[0]
    assert note.raw_text is None and note.deid_text is None
    assert store.get_roster(case_id) == [] and store.get_mapping(case_id).placeholders() == []
    assert store.get_case(case_id).label is None
    # Decisions and distances stay for the statistics.
    assert {s.status for s in store.list_suggestions()} == {"accepted", "edited", "rejected"}
    assert all(s.output is None for s in store.list_suggestions())
    erasure = store.list_events("erasure.case")[0]
    assert erasure.payload["case_id"] == case_id
    # And the verify survives a reopen (no seal drift).
    store.close()
    reopened = Store.open(store.path.parent, TEST_PASSPHRASE)
    assert audit.verify_chain(reopened).ok
    reopened.close()


def test_person_erasure_removes_every_spelling_and_keeps_the_others(store: Store) -> None:
    case_id = store.list_cases()[0].id
    edited = store.list_suggestions(status="edited")[0].id
    report = audit.erase_person(store, name="KEVIN lemarchand-ouazzani")
    assert report.placeholders == ["<PERSONNE_1>"]
    assert audit.verify_chain(store).ok
    raw = store.list_notes(case_id)[0].raw_text
    assert SECRETS["name"] not in raw and SECRETS["alias"] not in raw
    assert SECRETS["child"] in raw  # someone else, not erased
    assert SECRETS["name"] not in store.final_text(edited)
    assert [p.name for p in store.get_roster(case_id)] == [SECRETS["child"]]
    assert store.get_mapping(case_id).original("<PERSONNE_1>") is None
    event = store.list_events("erasure.person")[0]
    assert SECRETS["name"] not in json.dumps(event.payload, ensure_ascii=False)


def test_person_only_in_the_raw_text_is_erased_too(store: Store) -> None:
    from assistant.deid.types import DeidResult

    case_id = store.list_cases()[0].id
    # A name the de-identification missed: in no roster, no mapping.
    missed = "Visite de Maître Bernardin, voisin."
    note_id = store.add_note(case_id, missed, DeidResult(missed, [], store.get_mapping(case_id)))
    seeded = Seeded(case_id, note_id)
    sid = add_suggestion(store, seeded, "Maître Bernardin est passé.")
    store.review(sid, decision="accepted")
    report = audit.erase_person(store, name="maître BERNARDIN", case_id=case_id)
    assert report.cases == [case_id] and report.placeholders == []
    note = store.get_note(note_id)
    assert note.raw_text == note.deid_text == "Visite de [personne effacée], voisin."
    suggestion = store.get_suggestion(sid)
    assert "Bernardin" not in suggestion.output + suggestion.rendered_prompt
    assert "Bernardin" not in suggestion.review.final_text_deid
    assert audit.verify_chain(store).ok
    # An exemption is only for what an erasure event names.
    other = store.list_suggestions(status="rejected")[0].id
    _conn(store).execute(
        "UPDATE suggestions SET output = 'x', erased_at = '2020' WHERE id = ?", [other]
    )
    assert audit.verify_chain(store).problem == "modified"


def test_erasing_an_unknown_person_says_so_and_changes_nothing(store: Store) -> None:
    before = _count(store)
    with pytest.raises(Exception, match="Aucune personne"):
        audit.erase_person(store, name="Personne Inconnue")
    assert _count(store) == before


def test_retention_purge_keeps_recent_notes_and_the_chain(store: Store) -> None:
    case_id = store.list_cases()[0].id
    assert audit.purge_raw_notes(store, 30) == 0
    later = datetime.now(UTC) + timedelta(days=31)
    assert audit.purge_raw_notes(store, 30, now=later) == 1
    note = store.list_notes(case_id)[0]
    assert note.raw_text is None and note.raw_purged_at and note.deid_text
    edited = store.list_suggestions(status="edited")[0].id
    with pytest.raises(Exception, match="effacé"):
        store.final_text(edited)
    assert audit.verify_chain(store).ok
    assert store.list_events("retention.purged")[0].payload["days"] == 30


def test_sqlite_bundle_verifies_elsewhere_and_tampering_is_named(
    store: Store, tmp_path: Path
) -> None:
    out = tmp_path / "elsewhere" / "export.sqlite"
    summary = audit.export_bundle(store, out, "sqlite")
    store.close()  # "another machine": only the file
    report = audit.verify_bundle(out)
    assert report.ok and report.head_hash == summary["head_hash"]
    conn = raw_connection(out)
    conn.execute("DELETE FROM events WHERE seq = 3")
    conn.close()
    report = audit.verify_bundle(out)
    assert (report.ok, report.problem, report.first_bad) == (False, "deleted", 3)


def test_bundle_rewritten_end_to_end_is_caught_against_the_noted_head(
    store: Store, tmp_path: Path
) -> None:
    out = tmp_path / "export.sqlite"
    noted = audit.export_bundle(store, out, "sqlite")["head_hash"]
    assert audit.verify_bundle(out, expected_head=noted[:16]).ok
    # Rewrite event 2 and every hash after it, and the manifest head: consistent.
    conn = raw_connection(out)
    rows = audit.read_events(conn)
    prev = rows[0]["hash"]
    for row in rows[1:]:
        if row["seq"] == 2:
            row["payload"] = row["payload"].replace('"people":2', '"people":1')
            row["payload_digest"] = payload_digest(row["payload"])
        row["hash"] = link_hash(
            row["seq"], row["id"], row["kind"], row["created_at"], row["payload_digest"], prev
        )
        conn.execute(
            "UPDATE events SET payload = ?, payload_digest = ?, prev_hash = ?, hash = ? "
            "WHERE seq = ?",
            [row["payload"], row["payload_digest"], prev, row["hash"], row["seq"]],
        )
        prev = row["hash"]
    conn.execute("UPDATE sources SET head_hash = ?", [prev])
    conn.close()
    assert audit.verify_bundle(out).ok  # consistent on its own...
    report = audit.verify_bundle(out, expected_head=noted)  # ...but not the noted head
    assert (report.ok, report.problem) == (False, "modified")
    assert "notée lors de l'export" in report.message_fr


def test_sequence_numbers_swapped_in_a_jsonl_bundle_are_a_reordering(
    store: Store, tmp_path: Path
) -> None:
    out = tmp_path / "export.jsonl"
    audit.export_bundle(store, out, "jsonl")
    lines = out.read_text(encoding="utf-8").splitlines()
    swapped = []
    for line in lines:
        row = json.loads(line)
        if row["record"] == "event" and row["seq"] in (4, 5):
            row["seq"] = 9 - row["seq"]
        swapped.append(json.dumps(row, ensure_ascii=False))
    out.write_text("\n".join(swapped) + "\n", encoding="utf-8")
    report = audit.verify_bundle(out)
    assert (report.problem, report.first_bad) == ("reordered", 4)


def test_jsonl_bundle_round_trips_and_detects_a_modified_review(
    store: Store, tmp_path: Path
) -> None:
    out = tmp_path / "export.jsonl"
    audit.export_bundle(store, out, "jsonl")
    assert audit.verify_bundle(out).ok
    suggestions, events = audit.load_bundle(out)
    assert len(suggestions) == 3 and {s["review"]["decision"] for s in suggestions} == {
        "accepted",
        "edited",
        "rejected",
    }
    assert events[0]["kind"] == "case.created" and isinstance(events[0]["payload"], dict)
    lines = out.read_text(encoding="utf-8").splitlines()
    tampered = [
        line.replace('"decision": "rejected"', '"decision": "accepted"')
        if '"record": "review"' in line
        else line
        for line in lines
    ]
    out.write_text("\n".join(tampered) + "\n", encoding="utf-8")
    report = audit.verify_bundle(out)
    assert (report.ok, report.problem) == (False, "modified")


def test_merged_bundles_give_one_institution_view(home: Path, tmp_path: Path) -> None:
    bundles = []
    for who in ("a", "b"):
        other = Store.open(tmp_path / f"home-{who}", TEST_PASSPHRASE)
        seeded = seed(other)
        if who == "b":
            extra = add_suggestion(other, seeded, "Encore un brouillon.")
            other.review(extra, decision="rejected", reason="Ton inadapté")
        bundles.append(tmp_path / f"{who}.sqlite")
        audit.export_bundle(other, bundles[-1], "sqlite")
        other.close()
    merged = audit.merge_bundles(bundles)
    assert len(merged.sources) == 2 and len(merged.suggestions) == 7
    out = tmp_path / "institution.sqlite"
    audit.write_bundle(merged, out, "sqlite")
    assert audit.verify_bundle(out).ok
    by_prompt, by_model = audit.compute_stats(merged)
    assert by_prompt[0].total == 7 and by_prompt[0].rejected == 3
    assert by_model[0].reasons["Ton inadapté"] == 1
    html_report = tmp_path / "rapport.html"
    audit.write_bundle(merged, html_report, "html")
    text = html_report.read_text(encoding="utf-8")
    assert "Par version de consigne" in text and "Par modèle de langue" in text
    assert text.count("<svg") >= 4 and "Ton inadapté" in text and "✅ intact" in text


def test_cli_verify_exit_codes(store: Store) -> None:
    env = {**os.environ, "ASSISTANT_HOME": str(store.path.parent)}
    cmd = [sys.executable, "-m", "assistant", "audit", "verify"]
    ok = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert "Journal intact" in ok.stdout
    _conn(store).execute("DELETE FROM events WHERE seq = 2")
    bad = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1
    assert "supprimé" in bad.stderr and "Traceback" not in bad.stderr


def test_cli_export_merge_purge_and_erase(store: Store, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from assistant.cli import cli
    from assistant.cli.audit import TamperedLogError

    home = store.path.parent
    case_id = store.list_cases()[0].id
    store.close()
    runner = CliRunner()
    env = {"ASSISTANT_HOME": str(home), "ASSISTANT_PASSPHRASE": TEST_PASSPHRASE}

    def run(*args: str):
        return runner.invoke(cli, list(args), env=env, catch_exceptions=True)

    bundle = tmp_path / "b.sqlite"
    result = run("audit", "export", "--out", str(bundle))
    assert result.exit_code == 0, result.output
    assert "Tête de chaîne : événement n°" in result.output
    result = run(
        "audit",
        "export",
        "--merge",
        str(bundle),
        "--format",
        "html",
        "--out",
        str(tmp_path / "m.html"),
    )
    assert result.exit_code == 0 and "intact" in result.output
    assert run("audit", "verify", "--bundle", str(bundle)).exit_code == 0

    result = run("audit", "purge", "--days", "0")
    assert result.exit_code == 0 and "1 note(s)" in result.output
    result = run("audit", "erase", "--case", case_id)
    assert result.exit_code == 1 and "--yes" in str(result.exception)
    result = run("audit", "erase", "--case", case_id, "--yes")
    assert result.exit_code == 0, result.output
    assert run("audit", "verify").exit_code == 0

    conn = raw_connection(bundle)
    conn.execute("UPDATE events SET kind = 'case.closed' WHERE seq = 1")
    conn.close()
    result = run("audit", "verify", "--bundle", str(bundle))
    assert result.exit_code == 1 and isinstance(result.exception, TamperedLogError)
    assert "n° 1 a été modifié" in result.exception.message


# --- property: any single tampering of a real chain is named, at the right place --------


@pytest.fixture(scope="module")
def real_chain(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    """The events of a real store, as verify reads them from the file."""
    real = Store.open(tmp_path_factory.mktemp("chain") / "home", TEST_PASSPHRASE)
    seeded = seed(real)
    for n in range(8):
        add_suggestion(real, seeded, f"Brouillon {n}")
    conn = raw_connection(real.path)
    rows = audit.read_events(conn)
    conn.close()
    real.close()
    return rows


def _renumber(rows: list[dict]) -> list[dict]:
    return [{**r, "seq": i} for i, r in enumerate(rows, 1)]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_every_single_tampering_is_named(real_chain: list[dict], data: st.DataObject) -> None:
    rows = [dict(r) for r in real_chain]
    n = len(rows)
    head = {"seq": n, "hash": rows[-1]["hash"]}
    kind = data.draw(
        st.sampled_from(["modify", "delete", "delete_renumber", "swap", "insert", "move_to_end"])
    )
    i = data.draw(st.integers(1, n))
    if kind == "modify":
        field = data.draw(st.sampled_from(["kind", "created_at", "payload", "id"]))
        rows[i - 1][field] = rows[i - 1][field] + "x"
        expected = ("modified", i)
    elif kind == "delete":
        del rows[i - 1]
        expected = ("deleted", i)
    elif kind == "delete_renumber":
        del rows[i - 1]
        rows = _renumber(rows)
        expected = ("deleted", i)
    elif kind == "swap":
        j = data.draw(st.integers(1, n).filter(lambda j: j != i))
        a, b = sorted((i, j))
        rows[a - 1], rows[b - 1] = {**rows[b - 1], "seq": a}, {**rows[a - 1], "seq": b}
        expected = ("reordered", a)
    elif kind == "insert":
        i = data.draw(st.integers(1, n + 1))
        prev = rows[i - 2]["hash"] if i > 1 else "0" * 64
        consistent = data.draw(st.booleans())
        forged = _forge(i, prev)
        forged.pop("subject")
        if not consistent:
            forged["hash"] = "f" * 64
        rows.insert(i - 1, forged)
        rows = _renumber(rows)
        expected = ("inserted", i)
    else:
        if i == n:
            return
        moved = rows.pop(i - 1)
        rows = _renumber([*rows, moved])
        expected = ("reordered", i)
    report = audit.verify_events(rows, head)
    assert not report.ok
    assert (report.problem, report.first_bad) == expected, report.message_fr


def test_database_file_verifies_without_the_passphrase(store: Store) -> None:
    path = store.path
    store.close()
    assert audit.verify_chain(path).ok
    raw_connection(path).execute("DELETE FROM events WHERE seq = 2")
    assert (audit.verify_chain(path).problem, audit.verify_chain(path).first_bad) == ("deleted", 2)


def test_erased_case_content_is_gone_from_the_files(store: Store) -> None:
    """Erasure is not a flag: the drafts' words leave the database, its WAL and the index."""
    home = store.path.parent
    word = b"m\xc3\xa9t\xc3\xa9o"  # "météo", only in one de-identified draft
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert any(word in p.read_bytes() for p in home.iterdir() if p.is_file())
    audit.erase_person(store, case_id=store.list_cases()[0].id)
    assert not any(word in p.read_bytes() for p in home.iterdir() if p.is_file())
    assert store.list_suggestions(query="météo") == []


def test_merging_two_exports_of_the_same_post_keeps_the_longest(
    store: Store, tmp_path: Path
) -> None:
    first, second = tmp_path / "1.sqlite", tmp_path / "2.jsonl"
    audit.export_bundle(store, first, "sqlite")
    audit.export_bundle(store, second, "jsonl")
    merged = audit.merge_bundles([first, second])
    assert len(merged.sources) == 1 and merged.warnings == []
    assert merged.sources[0]["head_seq"] == len(store.list_events()) - 1
    conn = raw_connection(first)
    conn.execute("UPDATE sources SET head_hash = ?", ["ab" * 32])
    conn.close()
    assert "incompatibles" in audit.merge_bundles([first, second]).warnings[0]
