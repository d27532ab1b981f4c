"""The practitioner's screen, driven like a user would: real store, spaCy and SmolLM2."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.widgets import DataTable, TextArea

from assistant.demo import DEMO_CASE_LABEL
from assistant.tui.app import AssistantApp
from assistant.tui.screens.practitioner import PractitionerScreen
from assistant.tui.screens.reject import RejectScreen
from assistant.tui.widgets.preview import PseudonymPreview
from tests.tui.helpers import LONG_TASK, NOTE, open_practitioner, wait_for

pytestmark = pytest.mark.asyncio

MakeApp = Callable[..., AssistantApp]


def preview_text(app: AssistantApp) -> str:
    return str(app.screen.query_one(PseudonymPreview).render())


async def write_note(pilot, app: AssistantApp, text: str = NOTE) -> PractitionerScreen:
    screen = app.screen
    assert isinstance(screen, PractitionerScreen)
    editor = screen.query_one("#note-editor", TextArea)
    editor.focus()
    editor.insert(text)  # what a paste does
    await pilot.pause()
    return screen


async def generate(pilot, screen: PractitionerScreen, key: str = "ctrl+g") -> None:
    run = screen.run
    await pilot.press(key)
    await wait_for(pilot, lambda: screen.run > run and not screen.generating, timeout=90)


async def test_first_run_demo_case_shows_a_note_and_its_pseudonymised_preview(
    make_app: MakeApp,
) -> None:
    app = make_app(role="practitioner")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_practitioner(pilot, app, demo=True)
        screen = app.screen
        assert isinstance(screen, PractitionerScreen)
        await wait_for(pilot, lambda: "<PERSONNE_" in preview_text(app))
        assert "Kouyaté" in screen.query_one("#note-editor", TextArea).text
        assert "Kouyaté" not in preview_text(app)
        assert app.assistant.store.get_case(screen.case_id).label == DEMO_CASE_LABEL
        # The case opens on its latest note, and stays there (no picker ping-pong).
        latest = app.assistant.store.list_notes(screen.case_id)[-1]
        for _ in range(3):
            await pilot.pause(0.2)
            assert screen.note_id == latest.id
            assert screen.query_one("#note-select").value == latest.id


async def test_typing_a_note_updates_the_live_preview(make_app: MakeApp) -> None:
    app = make_app(role="practitioner")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_practitioner(pilot, app)
        await write_note(pilot, app)
        await wait_for(pilot, lambda: "<TEL_" in preview_text(app))
        shown = preview_text(app)
        assert "<PERSONNE_" in shown
        assert "Perrin" not in shown and "06 12 34 56 78" not in shown
        assert "dette de loyer" in shown
        try:
            await pilot.press("f9")
            await pilot.pause()
            assert str(app.screen.query_one("#btn-generate").label) == "Generate"
            assert app.screen.note_text == NOTE  # relabelled in place: the note is kept
        finally:
            await pilot.press("f9")


async def test_generate_reject_regenerate_accept_and_copy(make_app: MakeApp) -> None:
    from assistant.pipeline import REJECTION_REASONS

    app = make_app(role="practitioner")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_practitioner(pilot, app)
        screen = await write_note(pilot, app)
        await generate(pilot, screen)
        store = app.assistant.store
        first = store.get_suggestion(screen.suggestion.id)
        assert first.status == "pending"
        assert "Perrin" not in first.rendered_prompt
        draft = screen.query_one("#draft-editor", TextArea)
        assert draft.text and not draft.read_only

        await pilot.press("f3")  # nothing accepted yet: nothing may be copied
        await pilot.pause()
        assert app.clipboard == ""

        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: isinstance(app.screen, RejectScreen))
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: screen.suggestion.status == "rejected")
        assert store.get_suggestion(first.id).review.reason == REJECTION_REASONS[1]

        await generate(pilot, screen, "ctrl+r")
        second = screen.suggestion
        assert second.id != first.id and second.status == "pending"
        assert second.parent_id == first.id and second.note_id == first.note_id

        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: screen.suggestion.status == "accepted")
        assert store.get_suggestion(second.id).status == "accepted"
        await pilot.press("f3")
        await pilot.pause()
        assert app.clipboard == app.assistant.final_text(second.id)
        assert screen.query_one("#history", DataTable).row_count == 2


async def test_edited_draft_is_recorded_as_edited_with_the_new_text(make_app: MakeApp) -> None:
    app = make_app(role="practitioner")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_practitioner(pilot, app)
        screen = await write_note(pilot, app)
        await generate(pilot, screen)
        draft = screen.query_one("#draft-editor", TextArea)
        draft.focus()
        draft.load_text(
            "Mme Perrin a une dette de loyer de 1 200 euros ; plan d'apurement proposé."
        )
        await pilot.pause()
        assert "modifiée" in str(screen.query_one("#btn-accept").label)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: screen.suggestion.status == "edited")
        assert app.assistant.final_text(screen.suggestion.id).startswith("Mme Perrin a une dette")
        # The audit copy is de-identified again with the case's pseudonyms.
        review = app.assistant.store.get_suggestion(screen.suggestion.id).review
        assert "Perrin" not in (review.final_text_deid or "")


async def test_escape_stops_generation_and_stores_it_as_cancelled(make_app: MakeApp) -> None:
    app = make_app(role="practitioner")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_practitioner(pilot, app)
        screen = await write_note(pilot, app)
        screen.query_one("#task-select").value = LONG_TASK  # 500 tokens: time to press Esc
        await pilot.pause()
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: screen.stream_tokens >= 2)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not screen.generating)
        stored = app.assistant.store.get_suggestion(screen.suggestion.id)
        assert stored.status == "cancelled"
        assert stored.completion_tokens < 500
        assert screen.query_one("#btn-accept").disabled


async def test_selected_words_can_be_masked_for_the_whole_case(make_app: MakeApp) -> None:
    from textual.widgets.text_area import Selection

    app = make_app(role="practitioner")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_practitioner(pilot, app)
        # Not a name, yet enough to recognise someone in a small town.
        words = "chorale paroissiale"
        screen = await write_note(pilot, app, f"Elle chante dans la {words} le dimanche.")
        await wait_for(pilot, lambda: "dimanche" in preview_text(app))
        assert words in preview_text(app)
        start = screen.note_text.index(words)
        editor = screen.query_one("#note-editor", TextArea)
        editor.selection = Selection((0, start), (0, start + len(words)))
        await pilot.press("f5")
        await wait_for(pilot, lambda: words not in preview_text(app))
        assert "<PERSONNE_" in preview_text(app)
        assert screen.case_id is not None
        overrides = app.assistant.store.get_overrides(screen.case_id)
        assert [(o.text, o.action) for o in overrides] == [(words, "mask")]
