"""In-process llama.cpp backend (llama-cpp-python), loaded once and kept.

Why we drive ``Llama.generate`` ourselves instead of ``create_chat_completion``:
we need the exact prompt and completion token counts for the audit record, a
cancel check after every token, the stop at end-of-generation tokens, and no
per-token re-detokenisation of the whole completion (which
``create_completion`` does). The chat template is still the one stored in the
GGUF, rendered by llama-cpp-python's own ``Jinja2ChatFormatter``; a model with
no template gets a plain completion prompt.

The KV cache keeps the previous prompt: ``Llama.generate`` reuses the longest
common token prefix, so the fixed head of a task prompt (template head +
system prompt) is evaluated once. No ``LlamaDiskCache``/``LlamaRAMCache`` is
ever attached: those would keep copies of de-identified prompts outside the
encrypted store.
"""

from __future__ import annotations

import codecs
import ctypes
import json
import os
import threading
import time
from pathlib import Path

from assistant.errors import ModelError
from assistant.llm import native_log
from assistant.llm.registry import model_info
from assistant.llm.types import FinishReason, GenerationParams, GenerationResult, ModelInfo, OnToken

# Sections of the plain completion prompt used when a GGUF has no chat template.
FALLBACK_SYSTEM_HEADER = ""
FALLBACK_USER_HEADER = "### Consigne\n"
FALLBACK_ASSISTANT_HEADER = "### Réponse\n"
FALLBACK_STOPS = ("\n### ",)

# Above this time per generated token, cancellation is also checked inside each
# decode (abort callback), not only between tokens. Below it, checking between
# tokens already meets the 200 ms promise and the callback's per-graph-node
# Python calls would cost measurable throughput.
ABORT_DURING_GENERATION_MS = 60.0

# Prompts are evaluated in chunks of this many tokens at fixed absolute
# positions (0, 64, 128…), and a cached prefix is only reused up to a chunk
# boundary. Why: llama.cpp's matrix kernels round differently depending on the
# batch a token is evaluated in, so a prompt evaluated as "cached head + short
# tail" can give different logits — and a different draft for the same seed —
# than the same prompt evaluated cold. With aligned chunks, every token is
# always computed in the same batch, cached or not: same inputs + seed = same
# draft, bit for bit. 64 costs no measurable prompt throughput (measured 208 vs
# 212 tok/s against 512 on SmolLM2) and bounds the re-evaluated tail to 63
# tokens; it also keeps the logits buffer small for 262k-token vocabularies.
PROMPT_CHUNK = 64


def physical_cores() -> int:
    """Physical cores usable by this process (hyper-threads do not help llama.cpp)."""
    try:
        usable = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        usable = os.cpu_count() or 1
    cores: set[tuple[str, str]] = set()
    try:
        physical = core = ""
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                key, _, value = line.partition(":")
                key = key.strip()
                if key == "physical id":
                    physical = value.strip()
                elif key == "core id":
                    core = value.strip()
                    cores.add((physical, core))
    except OSError:
        pass
    count = len(cores) if cores else usable
    return max(1, min(count, usable))


def _short_of_memory(path: Path) -> bool:
    """After a failed load: could this process even reserve the model's size twice?

    llama.cpp reports an allocation failure and a corrupt file the same way
    (no model returned). The header was already checked, so if reserving
    twice the file's size (weights + buffers) fails now, memory is the cause.
    """
    import mmap

    try:
        size = max(path.stat().st_size, 1) * 2
        block = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    except (OSError, MemoryError, OverflowError, ValueError):
        return True
    block.close()
    return False


class _StopMatcher:
    """Cuts the stream at the first stop string, holding back a possible prefix."""

    def __init__(self, stops: tuple[str, ...]) -> None:
        self.stops = stops
        self.pending = ""
        self.stopped = False

    def feed(self, text: str) -> str:
        if not self.stops:
            return text
        self.pending += text
        for stop in self.stops:
            index = self.pending.find(stop)
            if index >= 0:
                out = self.pending[:index]
                self.pending = ""
                self.stopped = True
                return out
        hold = 0
        for stop in self.stops:
            for size in range(min(len(stop) - 1, len(self.pending)), 0, -1):
                if self.pending.endswith(stop[:size]):
                    hold = max(hold, size)
                    break
        out = self.pending[: len(self.pending) - hold]
        self.pending = self.pending[len(self.pending) - hold :]
        return out

    def flush(self) -> str:
        out, self.pending = self.pending, ""
        return out


class LlamaCppBackend:
    """One GGUF model in this process. Thread-safe: calls are serialised."""

    def __init__(
        self,
        path: Path,
        *,
        n_threads: int | None = None,
        n_ctx: int = 4096,
        log_file: Path | None = None,
        info: ModelInfo | None = None,
    ) -> None:
        native_log.install(log_file)
        self.info = info if info is not None else model_info(Path(path))
        self._lock = threading.RLock()
        self._cancel: threading.Event | None = None
        self._grammars: dict[str, object] = {}
        self._abort_on = False
        self._token_ms: float | None = None
        threads = n_threads or physical_cores()
        if self.info.context_length > 0:
            n_ctx = min(n_ctx, self.info.context_length)
        import llama_cpp
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        self._llama_cpp = llama_cpp
        try:
            self._llm = llama_cpp.Llama(
                model_path=str(path),
                n_ctx=n_ctx,
                n_threads=threads,
                n_threads_batch=threads,
                n_batch=PROMPT_CHUNK,
                n_ubatch=PROMPT_CHUNK,
                # Sliding-window models (Gemma 3) give different output after a
                # prefix-cache hit unless the full window is kept.
                swa_full=True,
                verbose=False,
            )
        except (ValueError, RuntimeError, OSError, MemoryError) as exc:
            if _short_of_memory(Path(path)):
                raise ModelError(
                    f"Mémoire insuffisante pour charger le modèle {Path(path).name} "
                    f"({self.info.size / 2**20:.0f} Mo) : fermez d'autres programmes puis "
                    "réessayez, ou choisissez un modèle plus petit (`assistant models list`). "
                    "Vos notes et propositions enregistrées ne sont pas perdues."
                ) from exc
            raise ModelError(
                f"llama.cpp n'a pas pu charger le modèle {Path(path).name} "
                f"(architecture « {self.info.architecture} ») : fichier corrompu ou "
                "non pris en charge par cette version. Consultez le journal de llama.cpp "
                "ou choisissez un autre modèle (`assistant models list`)."
            ) from exc
        self.n_threads = threads
        self._n_ctx = self._llm.n_ctx()
        self._vocab = self._llm._model.vocab
        self._piece_buf = ctypes.create_string_buffer(256)
        self._formatter = None
        if self.info.chat_template:
            model = self._llm._model
            eos = self._llm.token_eos()
            bos = self._llm.token_bos()
            self._formatter = Jinja2ChatFormatter(
                template=self.info.chat_template,
                eos_token=model.token_get_text(eos) if eos != -1 else "",
                bos_token=model.token_get_text(bos) if bos != -1 else "",
            )
        self._abort_cb = llama_cpp.ggml_abort_callback(self._should_abort)
        self._no_abort_cb = ctypes.cast(None, llama_cpp.ggml_abort_callback)

    # ------------------------------------------------------------------ protocol

    @property
    def context_length(self) -> int:
        return self._n_ctx

    @property
    def has_chat_template(self) -> bool:
        return self._formatter is not None

    def count_tokens(self, text: str) -> int:
        # Tokenising reads the vocabulary only: safe alongside a generation.
        return len(self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def prompt_tokens(self, messages: list[dict[str, str]]) -> list[int]:
        """The exact tokens the model will read for these messages."""
        prompt, special, add_bos = self.render(messages)
        return self._llm.tokenize(prompt.encode("utf-8"), add_bos=add_bos, special=special)

    def render(self, messages: list[dict[str, str]]) -> tuple[str, bool, bool]:
        """Prompt text, whether it holds special tokens, whether to add BOS."""
        if self._formatter is not None:
            try:
                result = self._formatter(messages=messages)
            except Exception as exc:  # jinja errors from a third-party template
                raise ModelError(
                    f"Le modèle de conversation du fichier {self.info.name} n'a pas pu être "
                    f"appliqué ({exc}). Choisissez un autre modèle."
                ) from exc
            return result.prompt, True, not result.added_special
        return completion_prompt(messages), False, bool(self._llm._model.add_bos_token())

    def generate(
        self,
        messages: list[dict[str, str]],
        params: GenerationParams,
        *,
        on_token: OnToken | None = None,
        cancel: threading.Event | None = None,
        json_schema: dict | None = None,
    ) -> GenerationResult:
        with self._lock:
            return self._generate(messages, params, on_token, cancel, json_schema)

    def reset_cache(self) -> None:
        """Forget the KV-cached prefix: the next call evaluates its whole prompt."""
        with self._lock:
            if self._llm is not None:
                self._llm.reset()

    def warm_up(self, messages: list[dict[str, str]]) -> None:
        """Evaluate a prompt's fixed head now (e.g. when a task is picked), so the
        next draft with the same head starts sooner. Generates one token, discarded."""
        self.generate(messages, GenerationParams(max_tokens=1))

    def close(self) -> None:
        with self._lock:
            llm = getattr(self, "_llm", None)
            if llm is not None:
                llm.close()
                self._llm = None  # type: ignore[assignment]

    def __enter__(self) -> LlamaCppBackend:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # --------------------------------------------------------------- internals

    def _should_abort(self, _data: object) -> bool:
        event = self._cancel
        return event is not None and event.is_set()

    def _set_abort(self, on: bool) -> None:
        if on == self._abort_on:
            return
        callback = self._abort_cb if on else self._no_abort_cb
        self._llama_cpp.llama_set_abort_callback(self._llm._ctx.ctx, callback, None)
        self._abort_on = on

    def _grammar(self, json_schema: dict | None) -> object | None:
        if json_schema is None:
            return None
        key = json.dumps(json_schema, sort_keys=True, ensure_ascii=False)
        grammar = self._grammars.get(key)
        if grammar is None:
            from llama_cpp.llama_grammar import LlamaGrammar

            try:
                grammar = LlamaGrammar.from_json_schema(key, verbose=False)
            except Exception as exc:  # unsupported schema construct
                raise ModelError(
                    f"Le schéma JSON demandé ne peut pas être imposé au modèle ({exc})."
                ) from exc
            self._grammars[key] = grammar
        return grammar

    def _align_cache(self, tokens: list[int]) -> None:
        """Keep only the cached prefix that ends on a PROMPT_CHUNK boundary."""
        llm = self._llm
        cached = llm.n_tokens
        if cached == 0:
            return
        import numpy as np

        limit = min(cached, len(tokens) - 1)
        same = llm.input_ids[:limit] == np.asarray(tokens[:limit], dtype=llm.input_ids.dtype)
        common = int(limit if same.all() else np.argmin(same))
        keep = common - common % PROMPT_CHUNK
        if keep < cached:
            llm._ctx.kv_cache_seq_rm(-1, keep, -1)
            llm.n_tokens = keep

    def _piece(self, token: int) -> bytes:
        n = self._llama_cpp.llama_token_to_piece(
            self._vocab, token, self._piece_buf, len(self._piece_buf), 0, False
        )
        if n < 0:  # piece longer than the buffer: grow once and retry
            self._piece_buf = ctypes.create_string_buffer(-n)
            n = self._llama_cpp.llama_token_to_piece(
                self._vocab, token, self._piece_buf, len(self._piece_buf), 0, False
            )
        return self._piece_buf.raw[:n]

    def _generate(
        self,
        messages: list[dict[str, str]],
        params: GenerationParams,
        on_token: OnToken | None,
        cancel: threading.Event | None,
        json_schema: dict | None,
    ) -> GenerationResult:
        if self._llm is None:
            raise ModelError("Le modèle a été fermé : relancez l'application.")
        started = time.perf_counter()
        tokens = self.prompt_tokens(messages)
        n_prompt = len(tokens)
        if n_prompt >= self._n_ctx:
            raise ModelError(
                f"Le texte est trop long pour le modèle ({n_prompt} unités pour une fenêtre de "
                f"{self._n_ctx}) : il doit être découpé (voir generate_long)."
            )
        max_tokens = max(1, min(params.max_tokens, self._n_ctx - n_prompt))
        grammar = self._grammar(json_schema)
        if cancel is not None and cancel.is_set():
            return GenerationResult("", "cancelled", n_prompt, 0, None, 0.0, None)

        llm = self._llm
        stops = FALLBACK_STOPS if self._formatter is None and grammar is None else ()
        matcher = _StopMatcher(stops)
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        is_eog = self._llama_cpp.llama_vocab_is_eog
        vocab = self._vocab
        parts: list[str] = []
        finish: FinishReason = "length"
        n_out = 0
        first_at: float | None = None
        last_at = started

        self._align_cache(tokens)
        self._cancel = cancel
        # Prompt evaluation can take seconds on a long note: let the abort
        # callback interrupt it.
        self._set_abort(cancel is not None)
        llm.set_seed(params.seed)
        stream = llm.generate(
            tokens,
            top_k=params.top_k,
            top_p=params.top_p,
            min_p=0.0,
            temp=params.temperature,
            repeat_penalty=params.repeat_penalty,
            grammar=grammar,
        )
        try:
            for token in stream:
                now = time.perf_counter()
                if first_at is None:
                    first_at = now
                    self._set_abort(
                        cancel is not None
                        and self._token_ms is not None
                        and self._token_ms > ABORT_DURING_GENERATION_MS
                    )
                last_at = now
                if is_eog(vocab, token):
                    finish = "stop"
                    break
                n_out += 1
                text = decoder.decode(self._piece(token))
                if text:
                    text = matcher.feed(text)
                    if text:
                        parts.append(text)
                        if on_token is not None:
                            on_token(text)
                    if matcher.stopped:
                        finish = "stop"
                        break
                if cancel is not None and cancel.is_set():
                    finish = "cancelled"
                    break
                if n_out >= max_tokens:
                    finish = "length"
                    break
        except RuntimeError as exc:
            # llama_decode returns 2 when the abort callback fired.
            if cancel is not None and cancel.is_set():
                finish = "cancelled"
            else:
                raise ModelError(
                    f"Erreur du moteur llama.cpp pendant la génération : {exc}."
                ) from exc
        finally:
            stream.close()
            self._set_abort(False)
            self._cancel = None
        if finish != "cancelled":
            tail = decoder.decode(b"", final=True) + matcher.flush()
            if tail:
                parts.append(tail)
                if on_token is not None:
                    on_token(tail)
        ended = time.perf_counter()
        tokens_per_s = None
        if first_at is not None and n_out > 1 and last_at > first_at:
            tokens_per_s = (n_out - 1) / (last_at - first_at)
            self._token_ms = 1000.0 / tokens_per_s
        return GenerationResult(
            text="".join(parts),
            finish_reason=finish,
            prompt_tokens=n_prompt,
            completion_tokens=n_out,
            ttft_ms=(first_at - started) * 1000.0 if first_at is not None else None,
            total_ms=(ended - started) * 1000.0,
            tokens_per_s=tokens_per_s,
        )


def completion_prompt(messages: list[dict[str, str]]) -> str:
    """Plain-text prompt for a base model without a chat template."""
    chunks: list[str] = []
    for message in messages:
        role = message.get("role", "user")
        content = message.get("content", "").strip()
        if role == "system":
            chunks.append(f"{FALLBACK_SYSTEM_HEADER}{content}\n\n")
        elif role == "assistant":
            chunks.append(f"{FALLBACK_ASSISTANT_HEADER}{content}\n\n")
        else:
            chunks.append(f"{FALLBACK_USER_HEADER}{content}\n\n")
    chunks.append(FALLBACK_ASSISTANT_HEADER)
    return "".join(chunks)
