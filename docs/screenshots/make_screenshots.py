"""Regenerate the README's SVG screenshots of the three views.

    .venv/bin/python docs/screenshots/make_screenshots.py

Runs the real app headless on a throw-away data directory with the demo case,
a copy of the prompt library whose drafts stop at 120 tokens (so the script
stays short on a busy 2-core machine) and the small test model
(models/SmolLM2-…gguf): one draft is generated and accepted through the
practitioner's screen, two more are drafted and reviewed through the pipeline
so the supervisor's statistics and the committee's log have something to show.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SIZE = (110, 34)
MODEL = ROOT / "models" / "SmolLM2-135M-Instruct.Q4_1.gguf"


async def _wait(pilot, condition: Callable[[], bool], timeout: float = 1800) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(condition)
        await pilot.pause(0.1)


async def _shoot(pilot, name: str) -> None:
    app = pilot.app
    app.clear_notifications()
    app.screen.set_focus(None)
    await pilot.pause(0.5)
    app.save_screenshot(f"{name}.svg", str(HERE))
    print(f"wrote {HERE / name}.svg")


def _more_reviewed_drafts(app) -> None:
    """Two more drafts on the other demo notes, one edited and one rejected."""
    assistant = app.assistant
    case_id = app.screen.case_id
    notes = assistant.store.list_notes(case_id)
    edited = assistant.draft(None, "note-transmission", note_id=notes[-1].id, seed=7)
    assistant.review(
        edited.suggestion.id,
        "edited",
        edited_text=edited.reidentified.text.split("\n")[0] + "\nÀ revoir avec la famille.",
    )
    rejected = assistant.draft(None, "synthese-entretien", note_id=notes[0].id, seed=11)
    assistant.review(rejected.suggestion.id, "rejected", reason="Information inventée")


async def main() -> None:
    from assistant.prompts import approve
    from assistant.tui.app import AssistantApp
    from assistant.tui.screens.committee import CommitteeScreen
    from assistant.tui.screens.confirm import ConfirmScreen
    from assistant.tui.screens.practitioner import PractitionerScreen
    from assistant.tui.screens.supervisor import SupervisorScreen

    work = Path(tempfile.mkdtemp())
    home = work / "home"
    prompts = work / "prompts"
    shutil.copytree(ROOT / "prompts", prompts)
    for path in prompts.glob("*.toml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"(?m)^max_tokens = \d+", "max_tokens = 120", text), "utf-8")
    os.environ["ASSISTANT_PROMPTS_DIR"] = str(prompts)
    os.environ["ASSISTANT_PASSPHRASE"] = "captures d'écran"
    app = AssistantApp(home=home, model=str(MODEL), role="practitioner", language="fr")
    async with app.run_test(size=SIZE) as pilot:
        await _wait(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("enter")
        await _wait(pilot, lambda: isinstance(app.screen, PractitionerScreen))
        screen = app.screen
        await _wait(
            pilot,
            lambda: screen.case_id is not None and app.core_state["model"][0] == "ready",
        )
        for prompt in app.assistant.tasks():
            approve(app.assistant.store, prompt.id, None, "Claire Martin (cadre)")
        screen.reload_tasks()
        await _shoot(pilot, "practitioner-note")
        await pilot.press("ctrl+g")
        await _wait(pilot, lambda: screen.suggestion is not None and not screen.generating)
        await _shoot(pilot, "practitioner")
        await pilot.press("ctrl+s")
        await _wait(pilot, lambda: screen.suggestion.status == "accepted")

        await asyncio.to_thread(_more_reviewed_drafts, app)

        app.enter_role("supervisor")
        await _wait(pilot, lambda: isinstance(app.screen, SupervisorScreen))
        supervisor = app.screen
        await _wait(pilot, lambda: bool(supervisor.stats))
        ids = [p.id for p in supervisor.prompts]
        supervisor.query_one("#prompt-list").highlighted = ids.index("synthese-entretien")
        supervisor.query_one("#sv-tabs").active = "sv-stats"
        await _shoot(pilot, "supervisor")

        app.enter_role("committee")
        await _wait(pilot, lambda: isinstance(app.screen, CommitteeScreen))
        committee = app.screen
        await _wait(pilot, lambda: committee.report is not None and bool(committee.records))
        await _shoot(pilot, "committee")
        committee.query_one("#cm-tabs").active = "cm-charts"
        await _shoot(pilot, "committee-charts")


if __name__ == "__main__":
    if not MODEL.exists():
        sys.exit(f"Modèle de test absent : {MODEL} (lancez `make test` une fois).")
    asyncio.run(main())
