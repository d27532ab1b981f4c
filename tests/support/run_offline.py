"""`python tests/support/run_offline.py ARGS…` = `assistant ARGS…` with the network trapped."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import tests.support.no_network  # noqa: F401  (installs the trap on import)
from assistant.cli import main

sys.argv[0] = "assistant"
main()
