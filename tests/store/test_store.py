"""The store's promises, on a real SQLite file with real encryption."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from assistant.deid.types import Override, PseudonymMap, RosterPerson
from assistant.errors import PassphraseError, StoreError
from assistant.store import Store
from tests.conftest import TEST_PASSPHRASE
from tests.store.seed import (
    SECRETS,
    add_suggestion,
    note_text,
    raw_connection,
    seed,
    start_generation,
)


def test_data_dir_and_files_are_private(store: Store, home: Path) -> None:
    seed(store)
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    for name in ("assistant.db", "assistant.db-wal", "assistant.db-shm"):
        path = home / name
        if path.exists():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, name


def test_a_database_readable_by_others_is_made_private_again(store: Store, home: Path) -> None:
    store.close()
    os.chmod(home / "assistant.db", 0o644)
    Store.open(home, TEST_PASSPHRASE).close()
    assert stat.S_IMODE((home / "assistant.db").stat().st_mode) == 0o600


def test_wrong_passphrase_is_refused_in_french(store: Store, home: Path) -> None:
    seed(store)
    store.close()
    with pytest.raises(PassphraseError, match="Phrase de passe incorrecte"):
        Store.open(home, "une autre phrase")
    reopened = Store.open(home, TEST_PASSPHRASE)
    assert reopened.list_cases()[0].label == SECRETS["case_label"]
    reopened.close()


def test_a_file_that_is_not_a_database_gives_a_french_store_error(home: Path) -> None:
    home.mkdir(mode=0o700)
    (home / "assistant.db").write_bytes(b"ceci n'est pas une base" * 100)
    with pytest.raises(StoreError, match="endommagée"):
        Store.open(home, TEST_PASSPHRASE)


def test_a_locked_database_gives_a_french_store_error(store: Store, home: Path) -> None:
    other = raw_connection(home / "assistant.db")
    other.execute("PRAGMA busy_timeout=0")
    other.execute("BEGIN IMMEDIATE")
    try:
        store.db.conn.execute("PRAGMA busy_timeout=50")
        with pytest.raises(StoreError, match="utilisée par un autre programme"):
            store.create_case("x")
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_migrations_are_recorded_and_run_once(store: Store, home: Path) -> None:
    names = [r["name"] for r in store.db["_assistant_migrations"].rows]
    assert names == ["m001_initial", "m002_masked_leftovers", "m003_review_flags"]
    store.close()
    again = Store.open(home, TEST_PASSPHRASE)
    assert [r["name"] for r in again.db["_assistant_migrations"].rows] == names
    assert again.db.journal_mode == "wal"
    again.close()


def test_cases_roster_mapping_overrides_round_trip(store: Store) -> None:
    case_id = store.create_case("Dossier A")
    people = [RosterPerson("Léa Martin", ("Lélé",), "mère")]
    store.set_roster(case_id, people)
    mapping = PseudonymMap()
    mapping.placeholder_for("PERSONNE", "Léa Martin")
    store.save_mapping(case_id, mapping)
    store.add_override(case_id, Override("Martin", "mask"))
    assert store.get_roster(case_id) == people
    assert store.get_mapping(case_id).original("<PERSONNE_1>") == "Léa Martin"
    assert store.get_overrides(case_id) == [Override("Martin", "mask")]
    assert store.get_mapping(store.create_case("vide")).placeholders() == []
    with pytest.raises(StoreError, match="Dossier inconnu"):
        store.get_case("nope")


def test_note_keeps_spans_but_not_their_original_text(store: Store) -> None:
    seeded = seed(store, reviews=False)
    note = store.get_note(seeded.note_id)
    assert note.raw_text == note_text()
    assert SECRETS["name"] not in note.deid_text
    assert note.entities and all("text" not in e for e in note.entities)
    assert {e["type"] for e in note.entities} >= {"PERSONNE", "TEL", "NIR"}
    assert store.get_case(seeded.case_id).note_count == 1
    # add_note saved the case mapping in the same transaction.
    assert store.get_mapping(seeded.case_id).original("<PERSONNE_1>") == SECRETS["name"]


def test_a_ciphertext_moved_to_another_row_does_not_decrypt(store: Store) -> None:
    a = store.create_case("Dossier A")
    b = store.create_case("Dossier B")
    conn = store.db.conn
    blob = conn.execute("SELECT label_enc FROM cases WHERE id = ?", [a]).fetchone()[0]
    conn.execute("UPDATE cases SET label_enc = ? WHERE id = ?", [blob, b])
    with pytest.raises(StoreError, match="altérée ou déplacée"):
        store.get_case(b)


def test_suggestion_is_stored_before_generation_and_finishes_pending(store: Store) -> None:
    seeded = seed(store, reviews=False)
    sid = store.start_suggestion(
        note_id=seeded.note_id,
        case_id=seeded.case_id,
        task="t",
        prompt_id="t",
        prompt_version="v1",
        rendered_prompt="prompt",
        model_name="m",
        model_sha256="0" * 64,
        backend="b",
        params={"seed": 7, "temperature": 0.2},
    )
    assert store.get_suggestion(sid).status == "generating"
    done = store.finish_suggestion(
        sid,
        status="pending",
        output="brouillon",
        finish_reason="stop",
        prompt_tokens=3,
        completion_tokens=1,
        ttft_ms=None,
        total_ms=1.5,
        tokens_per_s=None,
    )
    assert done.status == "pending" and done.params == {"seed": 7, "temperature": 0.2}
    assert store.get_suggestion(sid[:6]).id == sid
    assert store.list_events("suggestion.created")[-1].payload["suggestion_id"] == sid
    with pytest.raises(StoreError, match="ne peut plus être enregistré"):
        store.finish_suggestion(
            sid,
            status="pending",
            output="autre",
            finish_reason="stop",
            prompt_tokens=0,
            completion_tokens=0,
            ttft_ms=None,
            total_ms=0,
            tokens_per_s=None,
        )
    with pytest.raises(StoreError, match="Suggestion inconnue"):
        store.get_suggestion("ffffffffffff")


def test_review_transitions_and_nothing_overwritten(store: Store) -> None:
    seeded = seed(store, reviews=False)
    accepted, edited, rejected = seeded.suggestions
    with pytest.raises(StoreError, match="motivé"):
        store.review(rejected, decision="rejected")
    with pytest.raises(StoreError, match="seul un texte accepté"):
        store.final_text(accepted)
    store.review(accepted, decision="accepted")
    review = store.review(
        edited,
        decision="edited",
        final_text_deid="<PERSONNE_1> et <PERSONNE_2> cherchent un logement.",
        final_text_raw="Kévin et Ysaline cherchent un logement.",
    )
    store.review(rejected, decision="rejected", reason="Trop long")
    assert review.edit_distance and review.edit_distance > 0
    got = store.get_suggestion(edited)
    assert got.status == "edited"
    assert got.output == "<PERSONNE_1> et <PERSONNE_2> sont sans logement."  # draft kept
    assert got.review.final_text_deid.endswith("cherchent un logement.")
    assert store.final_text(edited) == "Kévin et Ysaline cherchent un logement."
    # Accepted without a raw text: re-identified from the case mapping.
    assert store.final_text(accepted) == f"{SECRETS['name']} demande un logement d'urgence."
    for sid in seeded.suggestions:
        with pytest.raises(StoreError, match="jamais remplacée"):
            store.review(sid, decision="accepted")
    with pytest.raises(StoreError, match="seul un texte accepté"):
        store.final_text(rejected)


def test_cancelled_generation_and_regeneration_link(store: Store) -> None:
    seeded = seed(store, reviews=False)
    cancelled = add_suggestion(store, seeded, "début", status="cancelled")
    assert store.get_suggestion(cancelled).status == "cancelled"
    with pytest.raises(StoreError, match="annulée"):
        store.review(cancelled, decision="accepted")
    assert store.list_events("suggestion.cancelled")
    child = start_generation(store, seeded.note_id, seeded.case_id, parent_id=cancelled[:8])
    assert store.get_suggestion(child).parent_id == cancelled


def test_search_is_over_de_identified_content_and_filters(store: Store) -> None:
    seeded = seed(store)
    found = store.list_suggestions(query="sans logement")
    assert [s.id for s in found] == [seeded.suggestions[1]]
    # The de-identified note inside the rendered prompt is searchable too.
    assert len(store.list_suggestions(query="aide au logement d'urgence")) == 3
    assert [s.id for s in store.list_suggestions(query="meteo")] == [seeded.suggestions[2]]
    assert store.list_suggestions(query="Lemarchand") == []  # names are never indexed
    assert [s.status for s in store.list_suggestions(status="rejected")] == ["rejected"]
    assert len(store.list_suggestions(case_id=seeded.case_id)) == 3
    assert len(store.list_suggestions(limit=2)) == 2
    assert len(store.list_suggestions(limit=None)) == 3
    assert store.list_suggestions()[0].id == seeded.suggestions[-1]  # newest first


def test_generation_left_by_a_dead_process_becomes_interrupted(store: Store, home: Path) -> None:
    seeded = seed(store, reviews=False)
    sid = start_generation(store, seeded.note_id, seeded.case_id)
    # Another process would see our live generation and leave it alone.
    assert store.mark_interrupted() == 0
    store.db.conn.execute("UPDATE suggestions SET owner_pid = 999999999 WHERE id = ?", [sid])
    store.close()
    reopened = Store.open(home, TEST_PASSPHRASE)
    assert reopened.get_suggestion(sid).status == "interrupted"
    assert reopened.list_events("suggestion.interrupted")[0].payload["suggestion_id"] == sid
    reopened.close()


def test_transaction_is_all_or_nothing(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.create_case("perdu")
        raise RuntimeError("boom")
    assert store.list_cases() == []
    assert store.list_events() == []


def test_store_can_be_used_from_worker_threads(store: Store) -> None:
    seeded = seed(store, reviews=False)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(5):
                add_suggestion(store, seeded, "brouillon parallèle")
                store.list_suggestions(query="parallèle")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(store.list_suggestions(query="parallèle")) == 15


def test_prompt_versions_are_kept_exactly_and_recorded_once(store: Store) -> None:
    store.record_prompt_version("p", "v1", "Texte exact\n")
    store.record_prompt_version("p", "v1", "Texte exact\n")
    assert store.get_prompt_version("v1")["source"] == "Texte exact\n"
    assert store.get_prompt_version("v2") is None
    assert len(store.list_events("prompt.version_recorded")) == 1


def test_key_derivation_is_memory_hard_and_stored_with_the_db(store: Store) -> None:
    import json

    kdf = json.loads(store.db["meta"].get("kdf")["value"])
    assert kdf["algorithm"] == "argon2id" and kdf["memory_kib"] >= 64 * 1024
    assert len(bytes.fromhex(kdf["salt"])) == 16


def test_integrity_check(store: Store) -> None:
    seed(store)
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_known_names_left_in_clear_texts_are_masked_and_counted(store: Store) -> None:
    seeded = seed(store, reviews=False)
    leaky = add_suggestion(store, seeded, f"Rendez-vous avec {SECRETS['alias']} mardi.")
    assert store.get_suggestion(leaky).output == "Rendez-vous avec <PERSONNE_1> mardi."
    created = store.list_events("suggestion.created")[-1]
    assert created.payload["masked_leftovers"] == 1
    # A reason typed with a name in it does not carry the name into the audit log.
    review = store.review(
        leaky, decision="rejected", reason=f"{SECRETS['child'].upper()} n'était pas là"
    )
    assert review.reason == "<PERSONNE_2> n'était pas là"
    assert store.list_events("suggestion.reviewed")[-1].payload["reason"] == review.reason
    # Word boundaries: a longer word that merely contains a short alias stays.
    clean = add_suggestion(store, seeded, "Kékéland est une ville.")
    assert store.get_suggestion(clean).output == "Kékéland est une ville."


def test_missing_key_parameters_are_not_silently_replaced(store: Store, home: Path) -> None:
    seed(store)
    store.db.conn.execute("DELETE FROM meta WHERE key = 'kdf'")
    store.close()
    with pytest.raises(StoreError, match="paramètres de chiffrement"):
        Store.open(home, TEST_PASSPHRASE)


def test_a_failing_write_rolls_back_the_whole_action_with_a_french_error(store: Store) -> None:
    seeded = seed(store, reviews=False)
    before = len(store.list_events())
    # The file refuses to grow past its current size: what a full disk looks like.
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StoreError, match="disque est plein"):
        for n in range(200):
            add_suggestion(store, seeded, "Un long brouillon. " * 200 + str(n))
    store.db.execute("PRAGMA max_page_count = 1073741823")
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert len(store.list_events()) >= before
    from assistant.audit import verify_chain

    assert verify_chain(store).ok
