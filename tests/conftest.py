"""Shared fixtures: offline switches, a private data directory, the real models."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.offline import enforce_offline

enforce_offline()

TEST_PASSPHRASE = "phrase de passe de test"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data directory, with the passphrase given the way scripts give it."""
    directory = tmp_path / "home"
    monkeypatch.setenv("ASSISTANT_HOME", str(directory))
    monkeypatch.setenv("ASSISTANT_PASSPHRASE", TEST_PASSPHRASE)
    return directory


@pytest.fixture(scope="session")
def models_dir() -> Path:
    from assistant.config import default_models_dir

    return default_models_dir()


@pytest.fixture(scope="session")
def test_model_path(models_dir: Path) -> Path:
    """The real SmolLM2-135M test model, fetched by `make test`."""
    path = models_dir / "SmolLM2-135M-Instruct.Q4_1.gguf"
    if not path.exists():
        pytest.fail(
            f"Test model missing at {path}: run `make test` (it fetches it) "
            "or `assistant models fetch smollm2-test`."
        )
    return path


@pytest.fixture(scope="session")
def tiny_model_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny random-weight llama GGUF with a chat template: loads in milliseconds."""
    from tests.support.tiny_gguf import make_tiny_gguf

    return make_tiny_gguf(tmp_path_factory.mktemp("tiny") / "tiny-chat.gguf")


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("ASSISTANT_MODELS_DIR", str(Path(__file__).parents[1] / "models"))
