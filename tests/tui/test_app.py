"""The shell around the views: roles, passphrase, help, language, command palette."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from assistant.store import Store
from assistant.tui.app import AssistantApp
from assistant.tui.i18n import CATALOG, set_language, t
from assistant.tui.screens.committee import CommitteeScreen
from assistant.tui.screens.help import HelpScreen
from assistant.tui.screens.passphrase import PassphraseScreen
from assistant.tui.screens.role import RoleScreen
from assistant.tui.screens.supervisor import SupervisorScreen
from tests.conftest import TEST_PASSPHRASE
from tests.tui.helpers import wait_for

MakeApp = Callable[..., AssistantApp]


@pytest.mark.asyncio
async def test_role_is_chosen_at_start_and_changed_with_f2(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, RoleScreen))
        await pilot.press("down", "enter")  # supervisor
        await wait_for(pilot, lambda: isinstance(app.screen, SupervisorScreen))
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, RoleScreen))
        await pilot.press("down", "down", "enter")  # committee
        await wait_for(pilot, lambda: isinstance(app.screen, CommitteeScreen))
        assert app.role == "committee"
        # The store was unlocked once, for both views.
        assert app.core_state["store"][0] == "ready"


@pytest.mark.asyncio
async def test_passphrase_is_asked_in_a_modal_and_a_wrong_one_is_refused(
    make_app: MakeApp, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Store.open(home, TEST_PASSPHRASE).close()
    monkeypatch.delenv("ASSISTANT_PASSPHRASE")
    app = make_app(role="supervisor")
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PassphraseScreen))
        await pilot.press(*"mauvaise", "enter")
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, PassphraseScreen)
                and "incorrecte" in str(app.screen.query_one("#pass-error", Static).render())
            ),
        )
        assert app.assistant is None
        app.screen.query_one("#pass-input", Input).value = TEST_PASSPHRASE
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.assistant is not None)
        await wait_for(pilot, lambda: isinstance(app.screen, SupervisorScreen))


@pytest.mark.asyncio
async def test_help_and_language_switch(make_app: MakeApp) -> None:
    app = make_app(role="supervisor")
    try:
        async with app.run_test(size=(100, 32)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, SupervisorScreen))
            await pilot.press("f1")
            await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
            await pilot.press("escape")
            await wait_for(pilot, lambda: isinstance(app.screen, SupervisorScreen))
            await pilot.press("f9")
            await pilot.pause()
            assert app.title == "Writing assistant"
            descriptions = {b.binding.description for b in app.active_bindings.values()}
            assert "Approve" in descriptions and "Help" in descriptions
            await pilot.press("f9")
            await pilot.pause()
            assert app.title == "Assistant d'écriture"
    finally:
        set_language("fr")


@pytest.mark.asyncio
async def test_every_screen_action_is_in_the_command_palette(make_app: MakeApp) -> None:
    app = make_app(role="supervisor")
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SupervisorScreen))
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert t("cmd.approve") in titles and t("cmd.role.committee") in titles


def test_catalog_has_both_languages_for_every_string() -> None:
    missing = [key for key, entry in CATALOG.items() if set(entry) != {"fr", "en"}]
    assert missing == []
