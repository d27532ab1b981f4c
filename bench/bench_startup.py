"""startup.cli_help_s: how long `assistant --help` takes, as a user feels it.

Baseline: a bare `python -c pass` in the same run, so the ratio says how much
our imports cost over the interpreter itself on this (noisy, shared) machine.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.common import median_time, row

BIN = Path(sys.executable).parent


def run() -> dict:
    assistant = str(BIN / "assistant")
    help_s = median_time(
        lambda: subprocess.run([assistant, "--help"], check=True, capture_output=True), repeat=7
    )
    bare_s = median_time(
        lambda: subprocess.run([sys.executable, "-c", "pass"], check=True, capture_output=True),
        repeat=7,
    )
    return {"startup.cli_help_s": row(help_s, "s", round(bare_s, 4))}
