"""Shared helpers for the hardening tests: the real CLI entry point, run in-process.

In-process (not a subprocess per command) so the spaCy analyzer is loaded once
for the whole session; ``main()`` is the console script itself, with its
French error handling, so what these tests see is what a user sees.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import TEST_PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]
ESC = "\x1b"


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str

    def assert_french_failure(self, *fragments: str) -> None:
        """Non-zero exit, one French line (no traceback), containing every fragment."""
        assert self.code not in (0, None), (self.stdout, self.stderr)
        assert "Traceback" not in self.stderr and "Traceback" not in self.stdout
        assert self.stderr.startswith(("Erreur", "Interrompu")), self.stderr
        for fragment in fragments:
            assert fragment in self.stderr, (fragment, self.stderr)


def run_cli(
    args: list[str],
    *,
    home: Path,
    passphrase: str | None = TEST_PASSPHRASE,
    model: Path | str | None = None,
    stdin: bytes | None = None,
) -> CliResult:
    """``assistant ARGS`` through the real ``main()``; stdout/stderr captured as text."""
    from assistant.cli import main

    env = {"ASSISTANT_HOME": str(home), "ASSISTANT_PASSPHRASE": passphrase}
    env["ASSISTANT_MODEL"] = str(model) if model is not None else None
    runner = CliRunner()
    saved_argv = sys.argv
    sys.argv = ["assistant", *args]
    code = 0
    try:
        with runner.isolation(input=stdin or b"", env=env) as (out, err, _):
            try:
                main()
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            stdout = out.getvalue().decode("utf-8", errors="replace")
            stderr = err.getvalue().decode("utf-8", errors="replace")
    finally:
        sys.argv = saved_argv
    return CliResult(code, stdout, stderr)


def run_cli_subprocess(
    args: list[str],
    *,
    home: Path,
    passphrase: str = TEST_PASSPHRASE,
    model: Path | str | None = None,
    preexec_fn=None,
    timeout: float = 120,
) -> CliResult:
    """Same, in a fresh process: for limits (RLIMIT_*) and true concurrency."""
    env = {
        **os.environ,
        "ASSISTANT_HOME": str(home),
        "ASSISTANT_PASSPHRASE": passphrase,
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'src'}",
    }
    env.pop("ASSISTANT_MODEL", None)
    if model is not None:
        env["ASSISTANT_MODEL"] = str(model)
    proc = subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=timeout,
        preexec_fn=preexec_fn,
    )
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture(scope="session")
def deidentifier():
    """One loaded analyzer for the whole session (loading spaCy costs seconds)."""
    from assistant.deid import get_default_deidentifier

    deid = get_default_deidentifier()
    deid.load()
    return deid
