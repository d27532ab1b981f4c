"""Long notes: splitting at paragraph/sentence boundaries, map-reduce drafting."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from assistant.errors import ModelError
from assistant.llm import GenerationParams, generate_long, split_for_context
from assistant.llm.llama_backend import LlamaCppBackend
from assistant.llm.long_notes import part_budget


def words(text: str) -> int:
    return len(text.split())


PARAGRAPH = (
    "Mme <PERSONNE_1> s'est présentée au service pour faire le point sur sa situation. "
    "Elle explique que son logement est trop petit pour elle et ses trois enfants. "
    "Une demande de logement social a été déposée il y a deux ans, sans réponse à ce jour. "
    "Nous convenons d'un nouveau rendez-vous dans quinze jours."
)


def long_note(n_paragraphs: int) -> str:
    return "\n\n".join(f"Paragraphe {i}. {PARAGRAPH}" for i in range(n_paragraphs))


def test_short_text_is_one_part() -> None:
    assert split_for_context("Une phrase.", 10, words) == ["Une phrase."]
    assert split_for_context("   ", 10, words) == []


def test_split_at_paragraphs_keeps_order_and_every_word() -> None:
    note = long_note(9)
    parts = split_for_context(note, 120, words)
    assert len(parts) > 1
    assert all(words(p) <= 120 for p in parts)
    assert " ".join(parts).split() == note.split()
    # Paragraphs fit the budget, so none is cut in the middle.
    for part in parts:
        for paragraph in part.split("\n\n"):
            assert paragraph.startswith("Paragraphe ")
            assert paragraph.endswith("quinze jours.")


def test_split_a_huge_paragraph_at_sentences() -> None:
    paragraph = " ".join([PARAGRAPH] * 6)  # one paragraph, ~300 words
    parts = split_for_context(paragraph, 60, words)
    assert len(parts) > 1
    assert all(words(p) <= 60 for p in parts)
    assert all(p.endswith(".") for p in parts)
    assert " ".join(parts).split() == paragraph.split()


def test_split_without_punctuation_falls_back_to_words_then_chars() -> None:
    text = " ".join(["mot"] * 50)
    parts = split_for_context(text, 7, words)
    assert all(words(p) <= 7 for p in parts)
    assert " ".join(parts).split() == text.split()
    blob = "x" * 100
    pieces = split_for_context(blob, 10, len)
    assert "".join(pieces) == blob
    assert all(len(p) <= 10 for p in pieces)


@pytest.fixture(scope="module")
def small_ctx(tiny_model_path: Path) -> LlamaCppBackend:
    backend = LlamaCppBackend(tiny_model_path, n_ctx=512, n_threads=1)
    yield backend
    backend.close()


def build(part: str) -> list[dict[str, str]]:
    return [
        {"role": "system", "content": "Tu rédiges une synthèse d'entretien."},
        {"role": "user", "content": f"Note :\n{part}"},
    ]


def test_split_with_real_tokenizer(small_ctx: LlamaCppBackend) -> None:
    note = long_note(12)
    parts = split_for_context(note, 200, small_ctx.count_tokens)
    assert all(small_ctx.count_tokens(p) <= 200 for p in parts)
    assert " ".join(parts).split() == note.split()


def test_note_three_times_the_context_is_drafted_in_parts(small_ctx: LlamaCppBackend) -> None:
    params = GenerationParams(max_tokens=24, seed=5)
    note = long_note(1)
    while small_ctx.count_tokens(note) < 3 * small_ctx.context_length:
        note += "\n\n" + long_note(1)
    assert small_ctx.count_tokens(note) >= 3 * small_ctx.context_length
    progress: list[str] = []
    streamed: list[str] = []
    result = generate_long(
        small_ctx, note, build, params, on_token=streamed.append, on_progress=progress.append
    )
    budget = part_budget(small_ctx, build, params)
    n_parts = len(split_for_context(note, budget, small_ctx.count_tokens))
    assert n_parts >= 4
    assert sum("rédaction de la partie" in m for m in progress) == n_parts
    assert any("assemblage" in m for m in progress)
    assert result.finish_reason in ("stop", "length")
    assert result.prompt_tokens > 3 * small_ctx.context_length
    assert "".join(streamed) == result.text
    # Same inputs, same seed: the whole map-reduce is reproducible.
    again = generate_long(small_ctx, note, build, params)
    assert again.text == result.text


def test_long_note_cancel(small_ctx: LlamaCppBackend) -> None:
    cancel = threading.Event()
    progress: list[str] = []

    def on_progress(message: str) -> None:
        progress.append(message)
        if len(progress) == 2:
            cancel.set()

    result = generate_long(
        small_ctx,
        long_note(40),
        build,
        GenerationParams(max_tokens=16),
        on_progress=on_progress,
        cancel=cancel,
    )
    assert result.finish_reason == "cancelled"
    assert len(progress) == 2


def test_short_note_goes_straight_through(small_ctx: LlamaCppBackend) -> None:
    progress: list[str] = []
    result = generate_long(
        small_ctx,
        "Courte note.",
        build,
        GenerationParams(max_tokens=8),
        on_progress=progress.append,
    )
    assert progress == []
    assert result.completion_tokens <= 8


def test_prompt_that_leaves_no_room_is_a_french_error(small_ctx: LlamaCppBackend) -> None:
    with pytest.raises(ModelError, match="trop petite"):
        generate_long(small_ctx, long_note(10), build, GenerationParams(max_tokens=500))
