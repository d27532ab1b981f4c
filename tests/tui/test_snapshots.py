"""What each main screen shows, as SVG snapshots (pytest-textual-snapshot).

Kept deterministic: no generation (model output varies), no notification
toasts, no focused cursor, fixed timestamps for the committee's seeded log, and
frozen test prompts (tests/tui/data/prompts). Update after a
deliberate visual change with ``pytest tests/tui --snapshot-update``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import TextArea

from assistant import audit
from assistant.store import Store
from assistant.tui.app import AssistantApp
from assistant.tui.screens.committee import CommitteeScreen
from assistant.tui.screens.confirm import ConfirmScreen
from assistant.tui.screens.practitioner import PractitionerScreen
from assistant.tui.screens.supervisor import SupervisorScreen
from assistant.tui.widgets.preview import PseudonymPreview
from assistant.tui.widgets.status import CoreStatusBar
from tests.conftest import TEST_PASSPHRASE
from tests.store.seed import seed
from tests.tui.helpers import wait_for

MakeApp = Callable[..., AssistantApp]
PARTS = ("store", "deid", "model")


async def _settle(pilot) -> None:
    pilot.app.clear_notifications()
    # A blinking cursor is drawn or not depending on the instant of the screenshot.
    pilot.app.screen.set_focus(None)
    await pilot.pause(0.5)


SNAPSHOT_NOTE = "Rappeler Mme Perrin au 06 12 34 56 78 pour le dossier FSL."


async def practitioner_with_a_note(pilot) -> None:
    """A pasted note and its preview: only a phone number and a titled name, masked by
    the most stable recognizers, so deid improvements do not move the snapshot."""
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
    await pilot.press("escape")
    await wait_for(pilot, lambda: isinstance(app.screen, PractitionerScreen))
    screen = app.screen
    await wait_for(pilot, lambda: all(app.core_state[p][0] == "ready" for p in PARTS))
    screen.query_one("#note-editor", TextArea).insert(SNAPSHOT_NOTE)
    await wait_for(
        pilot,
        lambda: (
            "<TEL_1>" in str(screen.query_one(PseudonymPreview).render())
            and "Modèle : " in str(screen.query_one(CoreStatusBar).render())
            and "qualité" in app.sub_title
        ),
    )
    await _settle(pilot)


def test_role_screen(snap_compare, make_app: MakeApp) -> None:
    assert snap_compare(make_app(), terminal_size=(100, 32))


def test_practitioner_screen_with_a_note(snap_compare, make_app: MakeApp) -> None:
    app = make_app(role="practitioner")
    assert snap_compare(app, terminal_size=(100, 32), run_before=practitioner_with_a_note)


def test_practitioner_screen_fits_80x24(snap_compare, make_app: MakeApp) -> None:
    app = make_app(role="practitioner")
    assert snap_compare(app, terminal_size=(80, 24), run_before=practitioner_with_a_note)


def test_supervisor_screen(snap_compare, make_app: MakeApp) -> None:
    async def loaded(pilot) -> None:
        app = pilot.app
        await wait_for(pilot, lambda: isinstance(app.screen, SupervisorScreen))
        await wait_for(pilot, lambda: bool(app.screen.prompts))
        await _settle(pilot)
        # A late second load can give the list its focus back on a slow machine;
        # the picture is taken unfocused, whatever the timing.
        await app.workers.wait_for_complete()
        app.screen.set_focus(None)
        await pilot.pause(0.3)

    assert snap_compare(make_app(role="supervisor"), terminal_size=(100, 32), run_before=loaded)


@pytest.fixture
def frozen_bundle(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The seeded log with fixed timestamps, so dates in the table do not move."""
    import assistant.store.store as store_module

    ticks = itertools.count()
    monkeypatch.setattr(
        store_module, "utc_now", lambda: f"2026-03-{10 + next(ticks) // 4:02d}T09:00:00+00:00"
    )
    store = Store.open(home, TEST_PASSPHRASE)
    seed(store)
    out = tmp_path / "export.sqlite"
    audit.export_bundle(store, out, "sqlite")
    store.close()
    return out


def test_committee_screen_with_a_bundle(
    snap_compare, make_app: MakeApp, frozen_bundle: Path
) -> None:
    async def loaded(pilot) -> None:
        app = pilot.app
        await wait_for(pilot, lambda: isinstance(app.screen, CommitteeScreen))
        await wait_for(pilot, lambda: app.screen.report is not None)
        await _settle(pilot)

    app = make_app(bundle=frozen_bundle)
    assert snap_compare(app, terminal_size=(100, 32), run_before=loaded)
