"""Local model engine: backend protocol, llama.cpp backend, HTTP backend, registry.

``load_backend`` is the one entry point the pipeline needs; heavy imports
(llama_cpp, numpy) happen inside it, so importing this package stays cheap.
"""

from __future__ import annotations

from pathlib import Path

from assistant.llm.long_notes import generate_long, split_for_context
from assistant.llm.registry import (
    KNOWN_MODELS,
    KnownModel,
    fetch_model,
    file_sha256,
    list_models,
    read_gguf_metadata,
    resolve_model,
)
from assistant.llm.structured import parse_structured
from assistant.llm.types import (
    LOW_QUALITY_WARNING,
    Backend,
    GenerationParams,
    GenerationResult,
    ModelInfo,
)

__all__ = [
    "KNOWN_MODELS",
    "LOW_QUALITY_WARNING",
    "Backend",
    "GenerationParams",
    "GenerationResult",
    "KnownModel",
    "ModelInfo",
    "fetch_model",
    "file_sha256",
    "generate_long",
    "list_models",
    "load_backend",
    "parse_structured",
    "read_gguf_metadata",
    "resolve_model",
    "split_for_context",
]


def load_backend(
    spec: str | None,
    *,
    models_dir: Path,
    n_threads: int | None = None,
    n_ctx: int = 4096,
    log_file: Path | None = None,
    server_url: str | None = None,
) -> Backend:
    """Load the model named by ``spec`` (see ``resolve_model``), once.

    With ``server_url`` (opt-in, institution server), generation goes to an
    OpenAI-compatible HTTP server instead; ``spec`` then names the served model.
    Slow (seconds for a large GGUF): call it off the UI thread and keep the result.
    """
    if server_url:
        from assistant.llm.openai_http import OpenAIHTTPBackend

        return OpenAIHTTPBackend(server_url, model=spec, n_ctx=n_ctx)
    from assistant.llm.llama_backend import LlamaCppBackend

    path = resolve_model(spec, models_dir)
    return LlamaCppBackend(path, n_threads=n_threads, n_ctx=n_ctx, log_file=log_file)
