"""`assistant models list|fetch|add|use` through the real click commands."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import cli
from assistant.config import Settings
from assistant.errors import ModelError
from assistant.llm.registry import KNOWN_MODELS


@pytest.fixture
def models_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "models"
    directory.mkdir()
    monkeypatch.setenv("ASSISTANT_MODELS_DIR", str(directory))
    return directory


def run(home: Path, *args: str) -> object:
    return CliRunner().invoke(cli, ["--home", str(home), "models", *args], catch_exceptions=True)


def test_add_list_use(models_env: Path, home: Path, tiny_model_path: Path, tmp_path: Path) -> None:
    source = tmp_path / "mon-modele.gguf"
    shutil.copyfile(tiny_model_path, source)
    result = run(home, "add", str(source))
    assert result.exit_code == 0, result.output
    assert "Modèle ajouté : mon-modele.gguf" in result.output
    assert (models_env / "mon-modele.gguf").read_bytes() == source.read_bytes()

    result = run(home, "list", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [m["file"] for m in data["models"]] == ["mon-modele.gguf"]
    assert data["models"][0]["chat_template"] is True
    assert data["models"][0]["default"] is True
    assert {m["name"] for m in data["available"]} >= {"demo", "smollm2-test"}

    result = run(home, "use", "mon-modele.gguf")
    assert result.exit_code == 0, result.output
    assert Settings.load(home).model == "mon-modele.gguf"

    text = run(home, "list").output
    assert "* mon-modele.gguf" in text
    assert "non installé : demo" in text


def test_add_refuses_a_corrupt_file(models_env: Path, home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"GGUF" + b"\x00" * 64)
    result = run(home, "add", str(bad))
    assert result.exit_code != 0
    assert isinstance(result.exception, ModelError)
    assert not list(models_env.iterdir())


def test_use_unknown_model_is_refused(models_env: Path, home: Path) -> None:
    result = run(home, "use", "demo")
    assert isinstance(result.exception, ModelError)
    assert "assistant models fetch demo" in result.exception.message
    assert Settings.load(home).model is None


def test_list_shows_broken_and_labelled_models(
    models_env: Path, home: Path, tiny_model_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (models_env / "casse.gguf").write_bytes(b"GGUF\x03\x00")
    # A file known to the registry (name and size) carries its "test" label.
    known = replace(KNOWN_MODELS["gemma3-270m-base"], size=tiny_model_path.stat().st_size)
    monkeypatch.setitem(KNOWN_MODELS, known.name, known)
    shutil.copyfile(tiny_model_path, models_env / known.filename)
    text = run(home, "list").output
    assert "casse.gguf  — ILLISIBLE" in text
    assert "qualité insuffisante pour un usage réel" in text


def test_fetch_error_is_one_french_line(models_env: Path, home: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "assistant", "--home", str(home), "models", "fetch", "inconnu"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 1
    assert proc.stderr.startswith("Erreur : Modèle inconnu")
    assert "Traceback" not in proc.stderr


@pytest.mark.e2e
def test_fetch_known_model_is_idempotent(home: Path, test_model_path: Path) -> None:
    # The real model is already there (make test fetches it): nothing to download.
    result = CliRunner().invoke(cli, ["--home", str(home), "models", "fetch", "smollm2-test"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith(str(test_model_path.name))
