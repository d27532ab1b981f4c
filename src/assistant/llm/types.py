"""Value types and the backend protocol shared by every model backend.

These are what the pipeline records for audit: every generation parameter,
the model's identity (file name + SHA-256) and timings, so a suggestion can be
reproduced on paper.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

FinishReason = Literal["stop", "length", "cancelled"]

# Shown next to a model whose label is set: these models prove the pipeline,
# they do not write usable French.
LOW_QUALITY_WARNING = "qualité insuffisante pour un usage réel"


@dataclass
class GenerationParams:
    """Sampling parameters; all of them are stored with each suggestion."""

    temperature: float = 0.3
    top_p: float = 0.9
    top_k: int = 40
    repeat_penalty: float = 1.1
    max_tokens: int = 512
    seed: int = 1234

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class GenerationResult:
    text: str
    finish_reason: FinishReason
    prompt_tokens: int
    completion_tokens: int
    ttft_ms: float | None
    total_ms: float
    tokens_per_s: float | None


@dataclass
class ModelInfo:
    """What a GGUF file says about itself, plus its identity on disk."""

    name: str
    path: Path | None
    sha256: str
    size: int
    architecture: str
    context_length: int
    chat_template: str | None
    label: str | None = None  # "demo" / "test" / None

    @property
    def display_name(self) -> str:
        """Short name for a status line: the file name, which the practitioner chose
        and recognises ("qwen2.5-7b-instruct-q4_k_m"), rather than the GGUF's
        free-form ``general.name``."""
        if self.path is not None:
            return Path(self.path).stem
        return self.name

    @property
    def warning(self) -> str | None:
        """The French warning the UI shows for demo/test models, else None."""
        return LOW_QUALITY_WARNING if self.label else None


OnToken = Callable[[str], None]


@runtime_checkable
class Backend(Protocol):
    """A loaded model. Implementations serialise calls: one generation at a time."""

    info: ModelInfo

    @property
    def context_length(self) -> int:
        """The context window actually used (n_ctx), in tokens."""
        ...

    def count_tokens(self, text: str) -> int: ...

    def generate(
        self,
        messages: list[dict[str, str]],
        params: GenerationParams,
        *,
        on_token: OnToken | None = None,
        cancel: threading.Event | None = None,
        json_schema: dict | None = None,
    ) -> GenerationResult: ...

    def close(self) -> None: ...
