"""The ethics committee's view: a real export bundle, read-only, filtered, verified."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Select, Static

from assistant import audit
from assistant.store import Store
from assistant.tui.app import AssistantApp
from assistant.tui.screens.committee import CommitteeScreen
from assistant.tui.screens.detail import DetailScreen
from tests.conftest import TEST_PASSPHRASE
from tests.store.seed import SECRETS, raw_connection, seed
from tests.tui.helpers import wait_for

pytestmark = pytest.mark.asyncio

MakeApp = Callable[..., AssistantApp]


@pytest.fixture
def bundle(home: Path, tmp_path: Path) -> Path:
    """A practitioner's store (three reviewed drafts full of identifiers), exported."""
    store = Store.open(home, TEST_PASSPHRASE)
    seed(store)
    out = tmp_path / "export.sqlite"
    audit.export_bundle(store, out, "sqlite")
    store.close()
    return out


def integrity(screen: CommitteeScreen) -> str:
    return str(screen.query_one("#integrity", Static).render())


def no_raw_data_on(app: AssistantApp) -> bool:
    svg = app.export_screenshot().replace("&#160;", " ")
    return not any(word in svg for word in ("Lemarchand", "Ouazzani", "Kéké", "Glycines"))


async def open_committee(pilot, app: AssistantApp) -> CommitteeScreen:
    await wait_for(pilot, lambda: isinstance(app.screen, CommitteeScreen))
    screen = app.screen
    assert isinstance(screen, CommitteeScreen)
    await wait_for(pilot, lambda: screen.report is not None)
    await pilot.pause()
    return screen


async def test_open_a_bundle_filter_search_and_read_a_generation(
    make_app: MakeApp, bundle: Path
) -> None:
    app = make_app(bundle=bundle)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_committee(pilot, app)
        table = screen.query_one("#log-table", DataTable)
        assert "Intégrité vérifiée" in integrity(screen)
        assert table.row_count == 3
        assert no_raw_data_on(app)

        screen.query_one("#f-status", Select).value = "rejected"
        await pilot.pause()
        assert table.row_count == 1
        screen.query_one("#f-status", Select).clear()
        await pilot.pause()
        assert table.row_count == 3

        await pilot.press("ctrl+f")
        await pilot.press(*"meteo")  # accents folded, as a French search box should
        await wait_for(pilot, lambda: table.row_count == 1)
        search = screen.query_one("#f-search", Input)
        search.value = ""
        screen.query_one("#f-from", Input).value = "2999-01-01"
        await pilot.pause()
        assert table.row_count == 0
        screen.query_one("#f-from", Input).value = ""
        await pilot.pause()

        table.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen))
        assert no_raw_data_on(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, CommitteeScreen))


async def test_a_tampered_bundle_is_shown_as_tampered_at_its_event(
    make_app: MakeApp, bundle: Path
) -> None:
    conn = raw_connection(bundle)
    conn.execute(
        "UPDATE events SET payload = replace(payload, 'rejected', 'accepted') "
        "WHERE kind = 'suggestion.reviewed' AND payload LIKE '%rejected%'"
    )
    seq = conn.execute(
        "SELECT seq FROM events WHERE kind = 'suggestion.reviewed' AND payload LIKE '%accepted%'"
        " ORDER BY seq DESC LIMIT 1"
    ).fetchone()[0]
    conn.close()
    app = make_app(bundle=bundle)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_committee(pilot, app)
        shown = integrity(screen)
        assert f"ALTÉRÉ à l'événement {seq}" in shown
        assert screen.query_one("#integrity").has_class("bad")


async def test_the_local_log_is_verified_and_shown_de_identified(
    make_app: MakeApp, home: Path
) -> None:
    store = Store.open(home, TEST_PASSPHRASE)
    seed(store)
    store.close()
    app = make_app(role="committee")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_committee(pilot, app)
        assert "Intégrité vérifiée" in integrity(screen)
        assert screen.query_one("#log-table", DataTable).row_count == 3
        assert no_raw_data_on(app)
        assert SECRETS["case_label"] not in app.export_screenshot()
