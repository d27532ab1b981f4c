"""tui.first_screen_s: from process start to the TUI's first screen drawn, headless.

The practitioner's screen is measured on a fresh data directory (the store opens,
spaCy and the model load in background workers after the first paint). Baseline:
a bare Textual app drawing one line, timed the same way in the same run, so the
ratio says what our screens cost over Textual itself on this (noisy) machine.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

from assistant.tui.app import FIRST_SCREEN_MARK, measure_first_screen
from bench.common import row

REPEAT = 5

_BARE_APP = f"""
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("bonjour")

    def on_mount(self):
        self.call_after_refresh(self.drawn)

    def drawn(self):
        print({FIRST_SCREEN_MARK!r}, flush=True)
        self.exit()

Bare().run(headless=True)
"""


def _bare_textual_s() -> float:
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", _BARE_APP],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=os.environ.copy(),
    )
    assert process.stdout is not None
    elapsed = None
    for line in process.stdout:
        if FIRST_SCREEN_MARK in line:
            elapsed = time.perf_counter() - started
            break
    process.wait(timeout=30)
    if elapsed is None:
        raise RuntimeError("the bare Textual app never drew")
    return elapsed


def run() -> dict:
    measure_first_screen()  # warm-up: the OS file cache, .pyc files
    ours = statistics.median(measure_first_screen() for _ in range(REPEAT))
    bare = statistics.median(_bare_textual_s() for _ in range(REPEAT))
    return {"tui.first_screen_s": row(ours, "s", round(bare, 4))}
