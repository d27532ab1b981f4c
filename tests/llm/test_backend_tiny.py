"""LlamaCppBackend on the tiny random-weight GGUF: fast, deterministic checks of
streaming, seeds, cancel, prompt formats and grammars (real llama.cpp, no mocks)."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
from tests.support.tiny_gguf import make_tiny_gguf

from assistant.errors import ModelError
from assistant.llm import GenerationParams, load_backend
from assistant.llm.llama_backend import LlamaCppBackend, _StopMatcher, completion_prompt

MESSAGES = [
    {"role": "system", "content": "Tu es un assistant de rédaction."},
    {"role": "user", "content": "Résume la note : Mme X cherche un logement pour ses enfants."},
]


@pytest.fixture(scope="module")
def tiny(tiny_model_path: Path) -> LlamaCppBackend:
    # One thread: two spin-wait on each other on a busy shared machine.
    backend = LlamaCppBackend(tiny_model_path, n_ctx=512, n_threads=1)
    yield backend
    backend.close()


@pytest.fixture(scope="module")
def tiny_base_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_tiny_gguf(
        tmp_path_factory.mktemp("tinybase") / "tiny-base.gguf", chat_template=False
    )


def test_tiny_gguf_is_deterministic(tmp_path: Path, tiny_model_path: Path) -> None:
    again = make_tiny_gguf(tmp_path / "again.gguf")
    assert again.read_bytes() == tiny_model_path.read_bytes()
    assert again.stat().st_size < 1_000_000


def test_info_and_context(tiny: LlamaCppBackend) -> None:
    assert tiny.info.architecture == "llama"
    assert tiny.info.chat_template is not None
    assert len(tiny.info.sha256) == 64
    assert tiny.context_length == 512
    assert tiny.count_tokens("Bonjour madame") > 0


def test_streaming_delivers_the_whole_text_in_pieces(tiny: LlamaCppBackend) -> None:
    pieces: list[str] = []
    result = tiny.generate(MESSAGES, GenerationParams(max_tokens=40), on_token=pieces.append)
    assert "".join(pieces) == result.text
    assert len(pieces) > 1
    assert result.completion_tokens <= 40
    assert result.finish_reason in ("stop", "length")
    assert result.prompt_tokens == len(tiny.prompt_tokens(MESSAGES))
    assert result.ttft_ms is not None and result.total_ms >= result.ttft_ms


def test_max_tokens_gives_length(tiny: LlamaCppBackend) -> None:
    result = tiny.generate(MESSAGES, GenerationParams(max_tokens=5, seed=7))
    if result.finish_reason == "length":
        assert result.completion_tokens == 5
    else:  # the random model may emit its end token first
        assert result.completion_tokens < 5


def test_same_seed_same_output_different_seed_differs(
    tiny: LlamaCppBackend, tiny_model_path: Path
) -> None:
    params = GenerationParams(temperature=0.9, max_tokens=30, seed=42)
    first = tiny.generate(MESSAGES, params)
    # Second call reuses the KV-cached prefix: the output must not change.
    second = tiny.generate(MESSAGES, params)
    fresh = LlamaCppBackend(tiny_model_path, n_ctx=512, n_threads=1)
    try:
        third = fresh.generate(MESSAGES, params)
    finally:
        fresh.close()
    other = tiny.generate(MESSAGES, GenerationParams(temperature=0.9, max_tokens=30, seed=43))
    assert first.text == second.text == third.text
    assert other.text != first.text


def test_cancel_before_start_returns_cancelled(tiny: LlamaCppBackend) -> None:
    cancel = threading.Event()
    cancel.set()
    result = tiny.generate(MESSAGES, GenerationParams(), cancel=cancel)
    assert result.finish_reason == "cancelled"
    assert result.completion_tokens == 0


def test_cancel_from_the_token_callback(tiny: LlamaCppBackend) -> None:
    cancel = threading.Event()
    seen: list[str] = []

    def on_token(text: str) -> None:
        seen.append(text)
        if len(seen) == 3:
            cancel.set()

    result = tiny.generate(
        MESSAGES, GenerationParams(max_tokens=400, seed=3), on_token=on_token, cancel=cancel
    )
    assert result.finish_reason == "cancelled"
    assert len(seen) == 3
    assert result.completion_tokens <= 4
    # The backend stays usable after a cancel.
    assert tiny.generate(MESSAGES, GenerationParams(max_tokens=3)).finish_reason != "cancelled"


def test_generate_serialises_threads(tiny: LlamaCppBackend) -> None:
    params = GenerationParams(max_tokens=20, seed=11)
    expected = tiny.generate(MESSAGES, params).text
    results: list[str] = []

    def worker() -> None:
        results.append(tiny.generate(MESSAGES, params).text)

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert results == [expected] * 3


def test_prompt_longer_than_context_is_a_french_error(tiny: LlamaCppBackend) -> None:
    long = "madame " * 2000
    with pytest.raises(ModelError, match="trop long"):
        tiny.generate([{"role": "user", "content": long}], GenerationParams())


def test_json_schema_output_is_valid_json(tiny: LlamaCppBackend) -> None:
    schema = {
        "type": "object",
        "properties": {"urgent": {"type": "boolean"}, "niveau": {"enum": ["bas", "haut"]}},
        "required": ["urgent", "niveau"],
        "additionalProperties": False,
    }
    for seed in (1, 2, 3):
        result = tiny.generate(
            MESSAGES, GenerationParams(max_tokens=120, seed=seed), json_schema=schema
        )
        data = json.loads(result.text)
        assert isinstance(data["urgent"], bool)
        assert data["niveau"] in ("bas", "haut")


def test_chat_template_from_gguf_is_used(tiny: LlamaCppBackend) -> None:
    prompt, special, _ = tiny.render(MESSAGES)
    assert prompt.startswith("<|im_start|>system\nTu es un assistant de rédaction.<|im_end|>")
    assert prompt.endswith("<|im_start|>assistant\n")
    assert special is True
    tokens = tiny.prompt_tokens(MESSAGES)
    # The control tokens are single special tokens, not spelled out.
    assert tokens.count(3) == 3  # <|im_start|>


def test_completion_fallback_without_chat_template(tiny_base_path: Path) -> None:
    backend = LlamaCppBackend(tiny_base_path, n_ctx=512, n_threads=1)
    try:
        assert backend.info.chat_template is None
        assert not backend.has_chat_template
        prompt, special, _ = backend.render(MESSAGES)
        assert prompt == completion_prompt(MESSAGES)
        assert "### Consigne\nRésume la note" in prompt
        assert prompt.endswith("### Réponse\n")
        assert special is False
        pieces: list[str] = []
        result = backend.generate(MESSAGES, GenerationParams(max_tokens=20), on_token=pieces.append)
        assert result.completion_tokens > 0
        assert "".join(pieces) == result.text
        assert "\n### " not in result.text
    finally:
        backend.close()


def test_stop_matcher_holds_back_partial_stop() -> None:
    matcher = _StopMatcher(("\n### ",))
    out = matcher.feed("Bonjour\n#")
    assert out == "Bonjour"
    out += matcher.feed("## Consigne")
    assert matcher.stopped
    assert out == "Bonjour"
    plain = _StopMatcher(("\n### ",))
    text = plain.feed("a\n#") + plain.feed("b") + plain.flush()
    assert text == "a\n#b" and not plain.stopped


def test_load_backend_by_path_and_threads(tiny_model_path: Path, tmp_path: Path) -> None:
    backend = load_backend(str(tiny_model_path), models_dir=tmp_path, n_threads=1, n_ctx=256)
    try:
        assert isinstance(backend, LlamaCppBackend)
        assert backend.n_threads == 1
        assert backend.context_length == 256
    finally:
        backend.close()


def test_closed_backend_refuses_politely(tiny_model_path: Path) -> None:
    backend = LlamaCppBackend(tiny_model_path, n_ctx=256, n_threads=1)
    backend.close()
    with pytest.raises(ModelError):
        backend.generate(MESSAGES, GenerationParams(max_tokens=2))


def test_tiny_generation_is_fast(tiny: LlamaCppBackend) -> None:
    started = time.perf_counter()
    tiny.generate(MESSAGES, GenerationParams(max_tokens=50))
    assert time.perf_counter() - started < 5
