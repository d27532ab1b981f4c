"""Messages the app's workers post back to the screens (thread-safe by construction)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message


@dataclass
class CoreStatus(Message):
    """The state of a slow part changed: ``part`` is store, deid or model.

    ``state`` is idle, loading, ready or error; ``detail`` carries the model's
    name or the French error message.
    """

    part: str
    state: str
    detail: str = ""
    warning: str = ""


@dataclass
class LanguageChanged(Message):
    language: str


@dataclass
class PreviewReady(Message):
    generation: int
    result: Any


@dataclass
class PreviewFailed(Message):
    generation: int
    message: str


@dataclass
class DraftToken(Message):
    """Tokens streamed since the last message (batched: one message per ~0.1 s)."""

    run: int
    text: str
    count: int


@dataclass
class DraftProgress(Message):
    """A French progress line from the pipeline (long notes are drafted part by part)."""

    run: int
    message: str


@dataclass
class DraftFinished(Message):
    run: int
    outcome: Any


@dataclass
class DraftFailed(Message):
    run: int
    message: str
