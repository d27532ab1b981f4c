"""The supervisor's view: read the library, compare versions, approve."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import DataTable, OptionList, Static

from assistant.prompts import PromptLibrary, approve, is_approved
from assistant.store import Store
from assistant.tui.app import AssistantApp
from assistant.tui.screens.ask import AskScreen
from assistant.tui.screens.supervisor import SupervisorScreen
from tests.conftest import TEST_PASSPHRASE
from tests.tui.helpers import SHORT_TASK, wait_for

pytestmark = pytest.mark.asyncio

MakeApp = Callable[..., AssistantApp]


async def open_supervisor(pilot, app: AssistantApp) -> SupervisorScreen:
    await wait_for(pilot, lambda: isinstance(app.screen, SupervisorScreen))
    screen = app.screen
    assert isinstance(screen, SupervisorScreen)
    await wait_for(pilot, lambda: bool(screen.prompts))
    return screen


async def test_approve_the_current_version_of_a_prompt(make_app: MakeApp) -> None:
    app = make_app(role="supervisor")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_supervisor(pilot, app)
        options = screen.query_one("#prompt-list", OptionList)
        options.highlighted = [p.id for p in screen.prompts].index(SHORT_TASK)
        await pilot.pause()
        assert "non approuvée" in str(screen.query_one("#prompt-approval", Static).render())

        await pilot.press("ctrl+a")
        await wait_for(pilot, lambda: isinstance(app.screen, AskScreen))
        app.screen.query_one("#ask-input").value = ""
        await pilot.press(*"Claire Martin", "enter")
        prompt = app.assistant.library.get(SHORT_TASK)
        await wait_for(pilot, lambda: is_approved(app.assistant.store, prompt))
        await wait_for(
            pilot, lambda: "Claire Martin" in str(screen.query_one("#prompt-approval").render())
        )
        assert "✓" in str(options.get_option(SHORT_TASK).prompt)


async def test_versions_and_diff_of_a_changed_prompt(
    make_app: MakeApp, home: Path, prompts_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    # Version 1 approved; then the file changes on disk: version 2 is current.
    store = Store.open(home, TEST_PASSPHRASE)
    approve(store, SHORT_TASK, None, "Claire", library=PromptLibrary.load(prompts_dir))
    store.close()
    changed = tmp_path / "prompts"
    shutil.copytree(prompts_dir, changed)
    path = changed / f"{SHORT_TASK}.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("cinq parties courtes", "quatre parties courtes"),
        encoding="utf-8",
    )
    monkeypatch.setenv("ASSISTANT_PROMPTS_DIR", str(changed))

    app = make_app(role="supervisor")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_supervisor(pilot, app)
        screen.query_one("#prompt-list", OptionList).highlighted = [
            p.id for p in screen.prompts
        ].index(SHORT_TASK)
        await pilot.pause()
        assert "non approuvée" in str(screen.query_one("#prompt-approval").render())
        assert screen.query_one("#versions-table", DataTable).row_count == 2
        await pilot.press("ctrl+d")
        await pilot.pause()
        diff = screen.diff_text
        assert "quatre" in app.export_screenshot()
        assert "-Rédige la synthèse de cet entretien en cinq parties courtes" in diff
        assert "+Rédige la synthèse de cet entretien en quatre parties courtes" in diff
