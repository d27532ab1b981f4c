"""OpenAI-compatible HTTP backend against a real `python -m llama_cpp.server`
started on loopback with the SmolLM2 test model."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from assistant.errors import ModelError
from assistant.llm import GenerationParams, load_backend
from assistant.llm.openai_http import OpenAIHTTPBackend

pytestmark = pytest.mark.e2e

pytest.importorskip("llama_cpp.server.app", reason="llama_cpp.server needs fastapi/uvicorn")

MESSAGES = [
    {"role": "system", "content": "Tu es un assistant de rédaction."},
    {"role": "user", "content": "Résume : Mme <PERSONNE_1> cherche un logement."},
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server_url(test_model_path: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    port = _free_port()
    log = tmp_path_factory.mktemp("server") / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "llama_cpp.server",
                "--model",
                str(test_model_path),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--n_ctx",
                "2048",
                # One thread: see THREADS in test_backend_real.py.
                "--n_threads",
                "1",
                "--n_threads_batch",
                "1",
                "--verbose",
                "False",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                pytest.fail(f"llama_cpp.server exited: {log.read_text(errors='replace')[-2000:]}")
            try:
                with urllib.request.urlopen(f"{url}/v1/models", timeout=2) as resp:
                    json.load(resp)
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("llama_cpp.server did not start within 90 s")
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


@pytest.fixture(scope="module")
def remote(server_url: str) -> OpenAIHTTPBackend:
    backend = load_backend("n'importe quel nom local", models_dir=Path("."), server_url=server_url)
    assert isinstance(backend, OpenAIHTTPBackend)
    return backend


def test_info_and_tokens(remote: OpenAIHTTPBackend) -> None:
    assert remote.info.path is None
    assert remote.info.name.endswith("SmolLM2-135M-Instruct.Q4_1.gguf")
    assert remote.context_length > 0
    # Exact count from the server's tokenizer, not the character estimate.
    assert remote.count_tokens("Bonjour") in (1, 2, 3)


def test_streaming(remote: OpenAIHTTPBackend) -> None:
    pieces: list[str] = []
    result = remote.generate(MESSAGES, GenerationParams(max_tokens=40), on_token=pieces.append)
    assert result.text.strip()
    assert "".join(pieces) == result.text
    assert len(pieces) > 1
    assert result.finish_reason in ("stop", "length")
    assert result.completion_tokens >= len(pieces) - 1
    assert result.ttft_ms is not None and result.prompt_tokens > 0


def test_seed_reproducible(remote: OpenAIHTTPBackend) -> None:
    params = GenerationParams(temperature=0.9, max_tokens=30, seed=31)
    assert remote.generate(MESSAGES, params).text == remote.generate(MESSAGES, params).text


def test_max_tokens_length(remote: OpenAIHTTPBackend) -> None:
    result = remote.generate(
        [{"role": "user", "content": "Écris une très longue histoire."}],
        GenerationParams(max_tokens=5, temperature=0.9, seed=4),
    )
    assert result.finish_reason in ("length", "stop")
    assert result.completion_tokens <= 6


def test_json_schema(remote: OpenAIHTTPBackend) -> None:
    schema = {
        "type": "object",
        "properties": {"pistes": {"type": "array", "items": {"type": "string"}, "maxItems": 3}},
        "required": ["pistes"],
    }
    result = remote.generate(MESSAGES, GenerationParams(max_tokens=150), json_schema=schema)
    assert isinstance(json.loads(result.text)["pistes"], list)


def test_cancel_within_200_ms(remote: OpenAIHTTPBackend) -> None:
    cancel = threading.Event()
    first = threading.Event()
    out: dict = {}

    def worker() -> None:
        out["result"] = remote.generate(
            [{"role": "user", "content": "Raconte longuement l'histoire de la ville de Lyon."}],
            GenerationParams(max_tokens=1500, temperature=0.9, seed=8),
            on_token=lambda _t: first.set(),
            cancel=cancel,
        )
        out["returned"] = time.perf_counter()

    thread = threading.Thread(target=worker)
    thread.start()
    assert first.wait(60)
    requested = time.perf_counter()
    cancel.set()
    thread.join(30)
    assert out["result"].finish_reason == "cancelled"
    assert (out["returned"] - requested) * 1000 < 200
    # The server and the backend keep working after a cut connection.
    assert remote.generate(MESSAGES, GenerationParams(max_tokens=5)).text


def test_plain_http_to_another_host_is_refused() -> None:
    with pytest.raises(ModelError, match="https"):
        OpenAIHTTPBackend("http://10.1.2.3:8000")
    with pytest.raises(ModelError, match="invalide"):
        OpenAIHTTPBackend("ftp://serveur")


def test_unreachable_server_is_a_french_error() -> None:
    with pytest.raises(ModelError, match="Impossible de joindre"):
        OpenAIHTTPBackend(f"http://127.0.0.1:{_free_port()}")
