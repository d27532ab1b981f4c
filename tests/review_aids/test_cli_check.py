"""`assistant check NOTE_FILE DRAFT_FILE [--json]`: no passphrase, no store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.review_aids import ReviewChecker

NOTE = "Mme <PERSONNE_1> perçoit 607 € de RSA. Elle accepte l'accompagnement proposé.\n"
DRAFT = "Mme <PERSONNE_1> perçoit 670 euros de RSA. Elle refuse l'accompagnement proposé.\n"


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    note = tmp_path / "note.txt"
    draft = tmp_path / "brouillon.txt"
    note.write_text(NOTE, encoding="utf-8")
    draft.write_text(DRAFT, encoding="utf-8")
    return note, draft


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    # Prove the command needs neither the passphrase nor an existing store.
    monkeypatch.delenv("ASSISTANT_PASSPHRASE", raising=False)
    monkeypatch.setenv("ASSISTANT_HOME", str(tmp_path / "absent"))
    return CliRunner()


def test_check_json_lists_the_flags(
    checker: ReviewChecker, runner: CliRunner, files: tuple[Path, Path], tmp_path: Path
) -> None:
    from assistant.cli import cli

    result = runner.invoke(cli, ["check", str(files[0]), str(files[1]), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert set(payload) == {"flags"}
    by_kind = {flag["kind"]: flag for flag in payload["flags"]}
    assert by_kind["number"]["text"] == "670 euros"
    assert DRAFT[by_kind["number"]["start"] : by_kind["number"]["end"]] == "670 euros"
    assert by_kind["number"]["source"].startswith("Mme <PERSONNE_1> perçoit 607 €")
    assert "negation" in by_kind
    for flag in payload["flags"]:
        assert set(flag) == {"kind", "start", "end", "text", "reason", "source"}
    assert not (tmp_path / "absent").exists()  # no data directory was created


def test_check_text_output_is_french(
    checker: ReviewChecker, runner: CliRunner, files: tuple[Path, Path]
) -> None:
    from assistant.cli import cli

    result = runner.invoke(cli, ["check", str(files[0]), str(files[1])])
    assert result.exit_code == 0, result.output
    assert "point(s) à vérifier" in result.output
    assert "« 670 euros »" in result.output
    assert "[nombre]" in result.output


def test_check_without_flags_says_so(
    checker: ReviewChecker, runner: CliRunner, files: tuple[Path, Path]
) -> None:
    from assistant.cli import cli

    result = runner.invoke(cli, ["check", str(files[0]), str(files[0]), "--json"])
    assert result.exit_code == 0
    assert json.loads(result.output) == {"flags": []}
    result = runner.invoke(cli, ["check", str(files[0]), str(files[0])])
    assert "Aucun point à vérifier" in result.output


def test_missing_file_is_a_french_one_line_error(tmp_path: Path, files: tuple[Path, Path]) -> None:
    # Through the real console script: error on stderr, exit 1, no traceback.
    env = {k: v for k, v in os.environ.items() if k != "ASSISTANT_PASSPHRASE"}
    env["ASSISTANT_HOME"] = str(tmp_path / "home")
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "check", str(tmp_path / "nope.txt"), str(files[1])],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.strip().startswith("Erreur : Fichier introuvable")
    assert "Traceback" not in result.stderr
