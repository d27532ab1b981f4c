"""Notes longer than the context window: split, draft each part, combine.

Splitting happens at paragraph boundaries first, then sentences, then words
(last resort), so each part stays readable on its own. The combine step runs
the same task on the partial drafts, so the final text has the task's shape
(a synthesis of syntheses); if even the partial drafts do not fit, it recurses.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import replace

from assistant.errors import ModelError
from assistant.llm.types import Backend, GenerationParams, GenerationResult

CountTokens = Callable[[str], int]
BuildMessages = Callable[[str], list[dict[str, str]]]

_PARAGRAPH_RE = re.compile(r"\n[ \t]*\n+")
# End of a sentence: . ! ? … (optionally followed by a closing quote/bracket)
# then whitespace. Abbreviations like "M. Dupont" may split early; harmless.
_SENTENCE_RE = re.compile(r"(?<=[.!?…])[»\")\]]?\s+")
_MAX_DEPTH = 3
# Template tokens around each message, for backends that cannot render exactly.
_PER_MESSAGE_OVERHEAD = 8
_SAFETY_MARGIN = 16


def split_for_context(text: str, budget_tokens: int, count_tokens: CountTokens) -> list[str]:
    """Split ``text`` into parts of at most ``budget_tokens`` tokens each.

    Cuts at paragraph boundaries when possible, else at sentence boundaries,
    else between words (and, for a single enormous "word", by characters).
    """
    if budget_tokens < 1:
        raise ValueError("budget_tokens must be positive")
    text = text.strip()
    if not text:
        return []
    if count_tokens(text) <= budget_tokens:
        return [text]
    paragraphs = [p.strip() for p in _PARAGRAPH_RE.split(text) if p.strip()]
    return _pack(paragraphs, "\n\n", budget_tokens, count_tokens, _split_paragraph)


def _split_paragraph(paragraph: str, budget: int, count: CountTokens) -> list[str]:
    sentences = [s.strip() for s in _SENTENCE_RE.split(paragraph) if s.strip()]
    if len(sentences) <= 1:
        return _split_words(paragraph, budget, count)
    return _pack(sentences, " ", budget, count, _split_words)


def _split_words(sentence: str, budget: int, count: CountTokens) -> list[str]:
    words = sentence.split()
    if len(words) <= 1:
        return _split_chars(sentence, budget, count)
    return _pack(words, " ", budget, count, _split_chars)


def _split_chars(word: str, budget: int, count: CountTokens) -> list[str]:
    out: list[str] = []
    rest = word
    while rest:
        size = len(rest)
        while size > 1 and count(rest[:size]) > budget:
            size //= 2
        out.append(rest[:size])
        rest = rest[size:]
    return out


def _pack(
    units: list[str],
    sep: str,
    budget: int,
    count: CountTokens,
    split_unit: Callable[[str, int, CountTokens], list[str]],
) -> list[str]:
    """Greedily join units into parts within budget; split units that are too big."""
    sep_cost = count(sep.strip()) if sep.strip() else 1
    parts: list[str] = []
    current: list[str] = []
    current_cost = 0
    for unit in units:
        cost = count(unit)
        if cost > budget:
            if current:
                parts.append(sep.join(current))
                current, current_cost = [], 0
            parts.extend(split_unit(unit, budget, count))
            continue
        extra = cost + (sep_cost if current else 0)
        if current and current_cost + extra > budget:
            parts.append(sep.join(current))
            current, current_cost = [unit], cost
        else:
            current.append(unit)
            current_cost += extra
    if current:
        parts.append(sep.join(current))
    # Token counts are not exactly additive across joins: re-check, re-split.
    checked: list[str] = []
    for part in parts:
        if count(part) <= budget:
            checked.append(part)
        else:
            pieces = _PARAGRAPH_RE.split(part) if "\n\n" in part else None
            if pieces and len(pieces) > 1:
                checked.extend(_pack(pieces, "\n\n", budget, count, split_unit))
            else:
                checked.extend(_split_words(part, max(1, budget - 2), count))
    return checked


def _prompt_overhead(backend: Backend, build_messages: BuildMessages) -> int:
    messages = build_messages("")
    exact = getattr(backend, "prompt_tokens", None)
    if callable(exact):
        return len(exact(messages))
    return sum(backend.count_tokens(m["content"]) + _PER_MESSAGE_OVERHEAD for m in messages)


def part_budget(backend: Backend, build_messages: BuildMessages, params: GenerationParams) -> int:
    """Tokens of note text that fit with the prompt and the answer in the context."""
    return (
        backend.context_length
        - _prompt_overhead(backend, build_messages)
        - params.max_tokens
        - _SAFETY_MARGIN
    )


def generate_long(
    backend: Backend,
    note: str,
    build_messages: BuildMessages,
    params: GenerationParams,
    *,
    on_token: Callable[[str], None] | None = None,
    on_progress: Callable[[str], None] | None = None,
    cancel: threading.Event | None = None,
    json_schema: dict | None = None,
    _depth: int = 0,
) -> GenerationResult:
    """Draft a note of any length: map the task over parts, then combine.

    ``build_messages(text)`` renders the task prompt around a piece of note.
    Only the final (combine) step streams to ``on_token``; ``on_progress``
    receives French progress lines. Token counts add up over all steps.
    """
    started = time.perf_counter()
    budget = part_budget(backend, build_messages, params)
    if budget < 32:
        raise ModelError(
            "La fenêtre de contexte du modèle est trop petite pour cette consigne "
            f"({backend.context_length} unités) : choisissez un modèle avec un contexte plus "
            "long ou réduisez la longueur de réponse demandée."
        )
    parts = split_for_context(note, budget, backend.count_tokens)
    if len(parts) <= 1:
        return backend.generate(
            build_messages(parts[0] if parts else note),
            params,
            on_token=on_token,
            cancel=cancel,
            json_schema=json_schema,
        )

    def say(message: str) -> None:
        if on_progress is not None:
            on_progress(message)

    drafts: list[str] = []
    prompt_tokens = completion_tokens = 0
    for index, part in enumerate(parts, start=1):
        if cancel is not None and cancel.is_set():
            return _cancelled(prompt_tokens, completion_tokens, started)
        say(f"Note longue : rédaction de la partie {index}/{len(parts)}…")
        result = backend.generate(
            build_messages(part), params, cancel=cancel, json_schema=json_schema
        )
        prompt_tokens += result.prompt_tokens
        completion_tokens += result.completion_tokens
        if result.finish_reason == "cancelled":
            return _cancelled(prompt_tokens, completion_tokens, started)
        drafts.append(result.text.strip())

    combined = "\n\n".join(d for d in drafts if d)
    say(f"Note longue : assemblage des {len(parts)} parties…")
    if cancel is not None and cancel.is_set():
        return _cancelled(prompt_tokens, completion_tokens, started)
    if backend.count_tokens(combined) > budget and _depth + 1 >= _MAX_DEPTH:
        # The partial drafts themselves are too long to combine: give them as they are.
        if on_token is not None:
            on_token(combined)
        total = (time.perf_counter() - started) * 1000.0
        return GenerationResult(
            combined, "length", prompt_tokens, completion_tokens, total, total, None
        )
    final = generate_long(
        backend,
        combined,
        build_messages,
        params,
        on_token=on_token,
        on_progress=on_progress,
        cancel=cancel,
        json_schema=json_schema,
        _depth=_depth + 1,
    )
    total_ms = (time.perf_counter() - started) * 1000.0
    return replace(
        final,
        prompt_tokens=prompt_tokens + final.prompt_tokens,
        completion_tokens=completion_tokens + final.completion_tokens,
        # The practitioner waits for the first streamed token of the final text.
        ttft_ms=None if final.ttft_ms is None else total_ms - final.total_ms + final.ttft_ms,
        total_ms=total_ms,
    )


def _cancelled(prompt_tokens: int, completion_tokens: int, started: float) -> GenerationResult:
    total = (time.perf_counter() - started) * 1000.0
    return GenerationResult("", "cancelled", prompt_tokens, completion_tokens, None, total, None)
