"""The first minute as a newcomer lives it: pick a role, type a passphrase, see the data open.

No ASSISTANT_PASSPHRASE here: the passphrase goes through the dialog, as with `make run`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.tui.app import AssistantApp
from assistant.tui.screens.passphrase import PassphraseScreen
from assistant.tui.screens.role import RoleScreen
from tests.tui.helpers import wait_for


@pytest.mark.asyncio
async def test_role_picker_then_passphrase_dialog_opens_the_data(
    home: Path, make_app: Callable[..., AssistantApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ASSISTANT_PASSPHRASE", raising=False)
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, RoleScreen))
        await pilot.press("enter")  # practitioner, the first choice
        await wait_for(pilot, lambda: isinstance(app.screen, PassphraseScreen))
        for key in "une phrase":
            await pilot.press("space" if key == " " else key)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.core_state["store"][0] == "ready", timeout=60)
        assert (home / "assistant.db").exists()
        assert app.assistant is not None
