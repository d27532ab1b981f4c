"""The pipeline's promises, with the real analyzer, store and a real llama.cpp model."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from assistant.errors import AssistantError, InputError
from assistant.pipeline import Assistant, clean_note, decode_note
from tests.conftest import TEST_PASSPHRASE

SEEDED = ["Gwendoline", "KERBRAT", "06 71 82 93 04", "g.kerbrat@exemple.org", "291072901900462"]
NOTE = (
    "Entretien avec Mme Gwendoline KERBRAT au CCAS.\n"
    "Téléphone : 06 71 82 93 04, courriel g.kerbrat@exemple.org.\n"
    "NIR 291072901900462. Elle demande une aide pour sa facture d'énergie de 320 €.\n"
    "Mme KERBRAT a deux enfants de 4 et 7 ans.\n"
)


class RecordingBackend:
    """The real backend, with a record of every message list it was given."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.info = inner.info
        self.seen: list[list[dict[str, str]]] = []

    @property
    def context_length(self) -> int:
        return self.inner.context_length

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)

    def generate(self, messages, params, **kwargs):
        self.seen.append([dict(m) for m in messages])
        return self.inner.generate(messages, params, **kwargs)

    def close(self) -> None:
        self.inner.close()


@pytest.fixture(scope="module")
def real_backend(test_model_path: Path):
    from assistant.llm import load_backend

    backend = load_backend(str(test_model_path), models_dir=test_model_path.parent, n_ctx=2048)
    yield backend
    backend.close()


@pytest.fixture
def assistant(home: Path, real_backend):
    from assistant.config import Settings
    from assistant.store import Store

    store = Store.open(home, TEST_PASSPHRASE)
    settings = Settings(allow_unapproved_prompts=True)
    recording = RecordingBackend(real_backend)
    app = Assistant(store=store, home=home, backend=recording, settings=settings)
    yield app
    store.close()


def test_model_receives_no_raw_personal_data(assistant: Assistant) -> None:
    outcome = assistant.draft(NOTE, "synthese-entretien", seed=7)
    sent = json.dumps(assistant._backend.seen, ensure_ascii=False)
    for value in SEEDED:
        assert value not in sent, f"{value!r} reached the model"
    assert "<PERSONNE_" in sent
    stored = assistant.store.get_suggestion(outcome.suggestion.id)
    for value in SEEDED:
        assert value not in stored.rendered_prompt
        assert value not in stored.output


def test_suggestion_is_pending_and_reproducible_on_paper(assistant: Assistant) -> None:
    outcome = assistant.draft(NOTE, "synthese-entretien", seed=11)
    s = outcome.suggestion
    assert s.status == "pending"
    assert s.prompt_id == "synthese-entretien"
    assert s.prompt_version == assistant.library.get("synthese-entretien").version
    assert s.model_sha256 == assistant._backend.info.sha256
    assert s.params["seed"] == 11
    assert s.completion_tokens > 0 and s.prompt_tokens > 0
    assert s.total_ms > 0
    # Same note, same prompt, same seed: the same draft.
    again = assistant.draft(NOTE, "synthese-entretien", seed=11)
    assert again.suggestion.output == s.output


def test_reidentified_draft_restores_the_names(assistant: Assistant) -> None:
    outcome = assistant.draft(NOTE, "synthese-entretien", seed=3)
    placeholder = next(
        e.placeholder for e in outcome.deid.entities if e.text in ("KERBRAT", "Gwendoline KERBRAT")
    )
    reid = assistant.reidentify(f"Rencontre avec {placeholder}.", outcome.suggestion.case_id)
    assert "KERBRAT" in reid.text


def test_cancel_is_stored_as_cancelled(assistant: Assistant) -> None:
    cancel = threading.Event()
    tokens: list[str] = []

    def on_token(token: str) -> None:
        tokens.append(token)
        if len(tokens) >= 3:
            cancel.set()

    outcome = assistant.draft(NOTE, "synthese-entretien", on_token=on_token, cancel=cancel)
    assert outcome.suggestion.status == "cancelled"
    assert assistant.store.get_suggestion(outcome.suggestion.id).status == "cancelled"
    with pytest.raises(AssistantError):
        assistant.review(outcome.suggestion.id, "accepted")


def test_regenerate_links_to_previous(assistant: Assistant) -> None:
    first = assistant.draft(NOTE, "synthese-entretien", seed=1)
    second = assistant.regenerate(first.suggestion.id, seed=2)
    assert second.suggestion.parent_id == first.suggestion.id
    assert second.suggestion.note_id == first.suggestion.note_id


def test_edit_keeps_both_versions_and_only_accepted_is_final(assistant: Assistant) -> None:
    outcome = assistant.draft(NOTE, "synthese-entretien", seed=5)
    with pytest.raises(AssistantError):
        assistant.final_text(outcome.suggestion.id)
    edited = "Mme Gwendoline KERBRAT sollicite une aide pour une facture d'énergie de 320 €."
    review = assistant.review(outcome.suggestion.id, "edited", edited_text=edited)
    assert review.decision == "edited"
    assert assistant.final_text(outcome.suggestion.id) == edited
    stored = assistant.store.get_suggestion(outcome.suggestion.id)
    assert stored.output == outcome.suggestion.output  # the draft is never overwritten
    assert "KERBRAT" not in (stored.review.final_text_deid or "")
    assert stored.review.edit_distance > 0


def test_reject_requires_a_reason(assistant: Assistant) -> None:
    outcome = assistant.draft(NOTE, "synthese-entretien", seed=9)
    with pytest.raises(InputError):
        assistant.review(outcome.suggestion.id, "rejected")
    review = assistant.review(outcome.suggestion.id, "rejected", reason="Faits inexacts")
    assert review.decision == "rejected"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "vide"),
        (b"   \n\t ", "vide"),
        (b"\x00\x01\x02binaire", "binaire"),
        (b"\xff\xfe\x00t\x00e", "binaire"),
    ],
)
def test_bad_input_gets_a_french_message(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        clean_note(decode_note(data))


def test_cp1252_notes_are_decoded() -> None:
    assert decode_note("Allocataire n° 123, échéance".encode("cp1252")).startswith("Allocataire n°")


def test_control_sequences_are_stripped() -> None:
    cleaned = clean_note("Note \x1b[31mrouge\x1b[0m\x07 fin")
    assert "\x1b" not in cleaned and "\x07" not in cleaned
    assert cleaned == "Note rouge fin"


def test_retention_is_applied_when_the_data_is_opened(home: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from assistant.config import Settings
    from assistant.store import Store

    store = Store.open(home, TEST_PASSPHRASE)
    try:
        first = Assistant(store=store, home=home, settings=Settings())
        note_id, _ = first.add_note(NOTE)
        assert store.get_note(note_id).raw_text == NOTE
        # Backdate the note: the retention clock is its creation time.
        old = (datetime.now(UTC) - timedelta(days=40)).isoformat(timespec="microseconds")
        store.db.execute("UPDATE notes SET created_at = ? WHERE id = ?", [old, note_id])
        store.db.conn.commit()
        reopened = Assistant(store=store, home=home, settings=Settings(retention_days=30))
        assert reopened.purged_on_open == 1
        note = store.get_note(note_id)
        assert note.raw_text is None
        assert note.deid_text and "KERBRAT" not in note.deid_text
        assert [e.kind for e in store.list_events(kind="retention.purged")] == ["retention.purged"]
    finally:
        store.close()


def test_a_seed_pinned_in_the_prompt_file_is_used(assistant: Assistant, tmp_path: Path) -> None:
    import re
    import shutil

    from assistant.config import default_prompts_dir
    from assistant.prompts import PromptLibrary

    library_dir = tmp_path / "prompts"
    shutil.copytree(default_prompts_dir(), library_dir, ignore=shutil.ignore_patterns("_*"))
    task = library_dir / "synthese-entretien.toml"
    text = re.sub(r"max_tokens = \d+", "max_tokens = 16\nseed = 4242", task.read_text("utf-8"))
    task.write_text(text, encoding="utf-8")
    assistant._library = PromptLibrary.load(library_dir)
    first = assistant.draft(NOTE, "synthese-entretien")
    assert first.suggestion.params["seed"] == 4242
    # An explicit seed still wins over the file's.
    assert assistant.draft(NOTE, "synthese-entretien", seed=9).suggestion.params["seed"] == 9
