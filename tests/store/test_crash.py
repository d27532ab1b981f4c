"""Killing the process (SIGKILL) mid-generation or mid-review loses no committed record."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from assistant import audit
from assistant.store import Store
from tests.conftest import TEST_PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]


def _run_and_kill(home: Path, mode: str, stop_after: int) -> list[tuple[str, str]]:
    """Start the writer, SIGKILL it once it reported ``stop_after`` commits (or is generating)."""
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'src'}"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.store.crash_writer", str(home), mode],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[tuple[str, str]] = []
    deadline = time.monotonic() + 60
    assert proc.stdout is not None
    try:
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            status, ident = line.split()
            lines.append((status, ident))
            if status == "generating" or len(lines) >= stop_after:
                break
        # Killed without warning: no atexit, no close(), no checkpoint.
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read() if proc.stderr else ""
    return lines


def _check_after_crash(home: Path, lines: list[tuple[str, str]]) -> Store:
    assert (home / "assistant.db-wal").exists()  # the WAL was left behind, unmerged
    store = Store.open(home, TEST_PASSPHRASE)
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    report = audit.verify_chain(store)
    assert report.ok, report.message_fr
    for status, ident in lines[1:]:
        stored = store.get_suggestion(ident)
        if status == "generating":
            assert stored.status == "interrupted"
        elif status == "pending":
            assert stored.status in ("pending", "accepted", "edited", "rejected")
        else:
            assert stored.status == status
            assert stored.review is not None and stored.review.decision == status
    return store


def test_sigkill_during_generation(tmp_path: Path) -> None:
    home = tmp_path / "home"
    lines = _run_and_kill(home, "generate", stop_after=10_000)
    assert lines[-1][0] == "generating"
    store = _check_after_crash(home, lines)
    pending = {s.id for s in store.list_suggestions(status="pending")}
    assert {i for s, i in lines if s == "pending"} <= pending and len(pending) == 3 + 5
    assert store.list_events("suggestion.interrupted")[0].payload["suggestion_id"] == lines[-1][1]
    store.close()


def test_sigkill_during_reviews(tmp_path: Path) -> None:
    home = tmp_path / "home"
    lines = _run_and_kill(home, "review", stop_after=41)
    reviewed = [ident for status, ident in lines if status in ("accepted", "edited", "rejected")]
    assert len(reviewed) >= 19
    store = _check_after_crash(home, lines)
    # Every committed review is there with its event in the chain.
    events = {e.payload["suggestion_id"] for e in store.list_events("suggestion.reviewed")}
    assert set(reviewed) <= events
    edited = [i for s, i in lines if s == "edited"]
    assert store.final_text(edited[0]).startswith("Texte retenu")
    store.close()
