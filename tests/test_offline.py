"""Offline at run time: the whole path works with every network socket forbidden."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTE = (
    "Entretien avec M. Thibault N'DIAYE, 06 11 22 33 44, thibault.ndiaye@exemple.fr.\n"
    "Il demande une aide alimentaire ; rendez-vous à la CAF le 12/03.\n"
)


def _run(args: list[str], env: dict, prefix: list[str] | None = None):
    cmd = [*(prefix or []), sys.executable, str(ROOT / "tests/support/run_offline.py"), *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600, cwd=ROOT)


def _whole_path(tmp_path: Path, model: Path, prefix: list[str] | None = None) -> Path:
    trap = tmp_path / "network-attempts.txt"
    home = tmp_path / "data"
    note = tmp_path / "note.txt"
    note.write_text(NOTE, encoding="utf-8")
    env = dict(
        os.environ,
        ASSISTANT_HOME=str(home),
        ASSISTANT_PASSPHRASE="hors ligne",
        ASSISTANT_MODEL=str(model),
        ASSISTANT_NET_TRAP=str(trap),
    )
    deid = _run(["deid", "--json", str(note)], env, prefix)
    assert deid.returncode == 0, deid.stderr
    assert "N'DIAYE" not in json.loads(deid.stdout)["text"]

    draft = _run(["draft", "--task", "synthese-entretien", str(note)], env, prefix)
    assert draft.returncode == 0, draft.stderr
    suggestion_id = draft.stdout.split()[1]
    review = _run(["review", suggestion_id, "--accept"], env, prefix)
    assert review.returncode == 0, review.stderr
    export = _run(["audit", "export", "--out", str(tmp_path / "bundle.sqlite")], env, prefix)
    assert export.returncode == 0, export.stderr
    verify = _run(["audit", "verify"], env, prefix)
    assert verify.returncode == 0, verify.stderr
    return trap


def test_whole_path_opens_no_socket(tmp_path: Path, test_model_path: Path) -> None:
    trap = _whole_path(tmp_path, test_model_path)
    attempts = trap.read_text(encoding="utf-8") if trap.exists() else ""
    assert attempts == "", f"network attempted:\n{attempts}"


@pytest.mark.skipif(shutil.which("unshare") is None, reason="unshare is not installed")
def test_whole_path_in_a_namespace_without_network(tmp_path: Path, test_model_path: Path) -> None:
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("this machine does not allow network namespaces")
    trap = _whole_path(tmp_path, test_model_path, prefix=["unshare", "-rn"])
    assert not trap.exists() or trap.read_text(encoding="utf-8") == ""
