"""The local model engine: throughput, time to first token, cancel latency, memory.

Rows (baselines measured in the same run, interleaved with ours, so the ratio
survives a busy shared machine):

* ``llm.tokens_per_s`` — generation speed of ``LlamaCppBackend.generate``
  (streaming callback, cancel event, stop handling); baseline: a bare
  llama-cpp-python ``Llama.generate`` loop on the same model, prompt tokens,
  sampling parameters and seed. Ratio >= 0.95 means no measurable overhead.
* ``llm.ttft_ms`` — time to first token of the second draft of the same task
  (the task prompt's head is still in the KV cache); baseline: the same draft
  with the cache emptied first.
* ``llm.cancel_ms`` — from ``cancel.set()`` to ``generate`` returning, during
  generation; ``llm.cancel_prompt_ms`` — the same during a long prompt's
  evaluation (abort callback).
* ``llm.peak_rss_mb`` — peak resident memory of a fresh process that loads the
  default model and drafts one synthesis; baseline: a fresh process doing the
  same with bare llama-cpp-python.

The speed rows use the SmolLM2 test model: its tokens are the fastest, so any
per-token overhead of ours shows most there. They run llama.cpp on ONE thread
(ours and the baseline alike): on a shared 2-core machine, two llama.cpp
threads spin-wait on each other whenever one is descheduled, and the noise
(x10 swings seen here) would drown the ratio. The product uses physical cores.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

from assistant.config import default_models_dir
from assistant.llm import GenerationParams
from assistant.llm.llama_backend import LlamaCppBackend
from assistant.llm.registry import KNOWN_MODELS
from bench.common import row

NOTE = (
    "Entretien du 12 mars avec Mme <PERSONNE_1>, 34 ans, mère de trois enfants. Elle vit "
    "dans un T2 de 38 m² à <LIEU_1> ; le bail est à son nom. Elle signale de l'humidité "
    "dans la chambre des enfants. Une demande de logement social a été déposée il y a "
    "deux ans (numéro unique <NUMERO_1>), sans proposition à ce jour. Ressources : RSA et "
    "prestations familiales versées par la CAF. Dette de loyer de 1 200 euros ; un plan "
    "d'apurement a été proposé par le bailleur. Le fils aîné, <PERSONNE_2>, est scolarisé "
    "en CM2 ; l'école signale des absences. Mme <PERSONNE_1> souhaite être accompagnée "
    "pour un dossier FSL et une demande de relogement prioritaire."
)
OTHER_NOTE = NOTE.replace("12 mars", "19 mars").replace("1 200", "950")
TASK = "synthese-entretien"
REPEAT = 5
THROUGHPUT_REPEAT = 9
BENCH_THREADS = 1


def _messages(note: str) -> list[dict[str, str]]:
    """The real task prompt when the prompt library is there, else a stand-in."""
    try:
        from assistant.config import default_prompts_dir
        from assistant.prompts import PromptLibrary, render

        return render(PromptLibrary.load(default_prompts_dir()).get(TASK), note)
    except Exception:
        system = (
            "Tu es un assistant de rédaction pour des travailleurs sociaux. Tu rédiges en "
            "français une synthèse d'entretien factuelle, sans jugement ni information "
            "inventée, en conservant les pseudonymes entre chevrons. " * 6
        )
        return [{"role": "system", "content": system}, {"role": "user", "content": note}]


def _paths() -> tuple[Path, Path, str]:
    models_dir = default_models_dir()
    test_model = models_dir / KNOWN_MODELS["smollm2-test"].filename
    demo = models_dir / KNOWN_MODELS["demo"].filename
    if demo.is_file():
        return test_model, demo, "demo"
    return test_model, test_model, "smollm2-test"


def _bare_tokens_per_s(
    backend: LlamaCppBackend, tokens: list[int], params: GenerationParams
) -> tuple[float, int]:
    """The loop anyone would write on llama-cpp-python: generate, stop at EOG, detokenise."""
    import llama_cpp

    llm = backend._llm
    llm.set_seed(params.seed)
    vocab = llm._model.vocab
    n = 0
    first = last = 0.0
    for token in llm.generate(
        tokens,
        top_k=params.top_k,
        top_p=params.top_p,
        min_p=0.0,
        temp=params.temperature,
        repeat_penalty=params.repeat_penalty,
    ):
        now = time.perf_counter()
        if n == 0:
            first = now
        last = now
        if llama_cpp.llama_vocab_is_eog(vocab, token):
            break
        n += 1
        llm.detokenize([token])
        if n >= params.max_tokens:
            break
    return (n - 1) / (last - first), n


def _throughput(backend: LlamaCppBackend) -> dict:
    messages = _messages(NOTE)
    tokens = backend.prompt_tokens(messages)
    params = GenerationParams(max_tokens=96, temperature=0.3, seed=1234)
    ours: list[float] = []
    bare: list[float] = []
    # No cache reset: both reuse the KV-cached prompt, so only generation is timed.
    backend.generate(messages, GenerationParams(max_tokens=1))
    # Alternate who goes first: on a shared machine, load drifts between runs.
    for index in range(THROUGHPUT_REPEAT):
        for turn in (0, 1) if index % 2 == 0 else (1, 0):
            if turn == 0:
                result = backend.generate(
                    messages, params, on_token=lambda _t: None, cancel=threading.Event()
                )
                ours.append(result.tokens_per_s or 0.0)
            else:
                speed, n = _bare_tokens_per_s(backend, tokens, params)
                bare.append(speed)
        assert n == result.completion_tokens, (n, result.completion_tokens)
    return {
        "llm.tokens_per_s": row(
            statistics.median(ours),
            "tok/s (smollm2-test, 1 thread)",
            round(statistics.median(bare), 2),
        )
    }


def _ttft(backend: LlamaCppBackend) -> dict:
    params = GenerationParams(max_tokens=4)
    first, second = _messages(NOTE), _messages(OTHER_NOTE)
    warm: list[float] = []
    cold: list[float] = []
    for _ in range(3):
        backend.reset_cache()
        backend.generate(first, params)
        warm.append(backend.generate(second, params).ttft_ms or 0.0)
        backend.reset_cache()
        cold.append(backend.generate(second, params).ttft_ms or 0.0)
    return {
        "llm.ttft_ms": row(
            statistics.median(warm),
            "ms (smollm2-test, 1 thread)",
            round(statistics.median(cold), 2),
        )
    }


def _cancel_latency(
    backend: LlamaCppBackend, messages: list[dict[str, str]], *, after_tokens: int, after_s: float
) -> float:
    cancel = threading.Event()
    started = threading.Event()
    out: dict = {}
    count = [0]

    def on_token(_text: str) -> None:
        count[0] += 1
        if count[0] >= after_tokens:
            started.set()

    def worker() -> None:
        out["result"] = backend.generate(
            messages,
            GenerationParams(max_tokens=1000, temperature=0.8, seed=5),
            on_token=on_token,
            cancel=cancel,
        )
        out["returned"] = time.perf_counter()

    thread = threading.Thread(target=worker)
    thread.start()
    if after_tokens:
        started.wait(60)
    else:
        time.sleep(after_s)
    requested = time.perf_counter()
    cancel.set()
    thread.join(60)
    assert out["result"].finish_reason == "cancelled"
    return (out["returned"] - requested) * 1000.0


def _cancel(backend: LlamaCppBackend) -> dict:
    messages = _messages(NOTE)
    during_generation = [
        _cancel_latency(backend, messages, after_tokens=3, after_s=0) for _ in range(REPEAT)
    ]
    long_note = "\n\n".join([NOTE] * 8)
    long_messages = _messages(long_note)
    during_prompt = []
    for _ in range(3):
        backend.reset_cache()
        during_prompt.append(_cancel_latency(backend, long_messages, after_tokens=0, after_s=0.3))
    return {
        "llm.cancel_ms": row(statistics.median(during_generation), "ms"),
        "llm.cancel_prompt_ms": row(statistics.median(during_prompt), "ms"),
    }


_RSS_OURS = """
import resource, sys
from pathlib import Path
from assistant.llm import GenerationParams
from assistant.llm.llama_backend import LlamaCppBackend
from bench.bench_llm import _messages, NOTE
b = LlamaCppBackend(Path(sys.argv[1]), n_ctx=4096)
b.generate(_messages(NOTE), GenerationParams(max_tokens=64))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""

_RSS_BARE = """
import resource, sys
import llama_cpp
from bench.bench_llm import _messages, NOTE
llm = llama_cpp.Llama(sys.argv[1], n_ctx=4096, n_threads=2, verbose=False)
out = llm.create_chat_completion(_messages(NOTE), max_tokens=64, temperature=0.3, seed=1234)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def _peak_rss(model: Path, label: str) -> dict:
    root = Path(__file__).resolve().parent.parent

    def measure(script: str) -> float:
        proc = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(script), str(model)],
            capture_output=True,
            text=True,
            cwd=root,
            timeout=600,
            check=True,
        )
        return float(proc.stdout.strip().splitlines()[-1])

    ours = measure(_RSS_OURS)
    bare = measure(_RSS_BARE)
    return {"llm.peak_rss_mb": row(ours, f"MB ({label})", round(bare, 1))}


def run() -> dict:
    test_model, default_model, label = _paths()
    rows: dict = {}
    backend = LlamaCppBackend(test_model, n_ctx=4096, n_threads=BENCH_THREADS)
    try:
        rows |= _throughput(backend)
        rows |= _ttft(backend)
        rows |= _cancel(backend)
    finally:
        backend.close()
    rows |= _peak_rss(default_model, label)
    return rows


if __name__ == "__main__":
    for name, data in run().items():
        print(name, data)
