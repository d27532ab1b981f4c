"""Helpers shared by the TUI tests: waiting on workers, answering the first-run questions."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.pilot import Pilot

from assistant.tui.app import AssistantApp

SHORT_TASK = "synthese-entretien"
LONG_TASK = "reformulation"
NOTE = (
    "Entretien avec Mme Josiane Perrin ce matin. Elle signale une dette de loyer "
    "de 1 200 euros. Joignable au 06 12 34 56 78."
)


async def wait_for(pilot: Pilot, condition: Callable[[], bool], timeout: float = 60.0) -> None:
    """Let the app run until ``condition`` holds (workers report through messages)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {condition}")
        await pilot.pause(0.05)


def approve_all(app: AssistantApp) -> None:
    """What a supervisor does before practitioners can draft (tested in test_supervisor)."""
    from assistant.prompts import approve

    assert app.assistant is not None
    for prompt in app.assistant.tasks():
        approve(app.assistant.store, prompt.id, None, "encadrante", library=app.assistant.library)


async def open_practitioner(pilot: Pilot, app: AssistantApp, demo: bool = False) -> None:
    """Answer the first-run demo question and wait until the store and model are ready."""
    from assistant.tui.screens.confirm import ConfirmScreen

    await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
    await pilot.press("enter" if demo else "escape")
    await wait_for(pilot, lambda: app.core_state["model"][0] == "ready")
    approve_all(app)
    app.screen.reload_tasks()  # type: ignore[attr-defined]
