"""Fixtures for driving the real app: a data directory, the real small model, test prompts.

The prompts are a frozen copy (tests/tui/data/prompts) so snapshots do not move
when the library evolves; synthese-entretien asks for 24 tokens at most so a
real generation with SmolLM2 takes about a second.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.tui.app import AssistantApp

PROMPTS = Path(__file__).parent / "data" / "prompts"


@pytest.fixture
def prompts_dir(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ASSISTANT_PROMPTS_DIR", str(PROMPTS))
    return PROMPTS


@pytest.fixture
def make_app(home: Path, test_model_path: Path, prompts_dir: Path) -> Callable[..., AssistantApp]:
    def make(**kwargs: object) -> AssistantApp:
        kwargs.setdefault("model", str(test_model_path))
        kwargs.setdefault("language", "fr")
        return AssistantApp(home=home, **kwargs)  # type: ignore[arg-type]

    return make
