"""The practitioner's one screen: note, pseudonymised preview, generation, review, history.

Everything that can block (de-identification, generation, a review that
de-identifies an edited text) runs in thread workers; results come back as
messages, so typing never waits for spaCy or the model.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import (
    Button,
    DataTable,
    Footer,
    Header,
    Label,
    Select,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
)
from textual.widgets.select import InvalidSelectValueError

from assistant.tui.app import localize_bindings
from assistant.tui.i18n import status_label, t
from assistant.tui.messages import (
    CoreStatus,
    DraftFailed,
    DraftFinished,
    DraftProgress,
    DraftToken,
    LanguageChanged,
    PreviewFailed,
    PreviewReady,
)
from assistant.tui.widgets.preview import PseudonymPreview, masked_summary
from assistant.tui.widgets.status import CoreStatusBar

if TYPE_CHECKING:
    from assistant.pipeline import Assistant

NEW = "__new__"
STREAM_BATCH_S = 0.1
DEFAULT_TASK = "synthese-entretien"
PREVIEW_DEBOUNCE_S = 0.4
REVIEWABLE = ("pending",)
FINAL = ("accepted", "edited")


class PractitionerScreen(Screen[None]):
    """Write or paste a note, check what the model will see, draft, review."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+g", "generate", "key.generate", priority=True),
        Binding("escape", "cancel", "key.cancel", priority=True),
        Binding("ctrl+r", "regenerate", "key.regenerate", priority=True),
        Binding("ctrl+s", "accept", "key.accept", priority=True),
        Binding("ctrl+t", "reject", "key.reject", priority=True),
        Binding("f3", "copy", "key.copy"),
        Binding("ctrl+n", "new_note", "key.new_note", show=False),
        Binding("f5", "mask_selection", "key.mask", show=False),
        Binding("f8", "unmask_selection", "key.unmask", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.case_id: str | None = None
        self.note_id: str | None = None
        # The stored note's text as loaded: an edited editor means a new note.
        self.loaded_text = ""
        self.note_text = ""
        self.suggestion: Any = None
        self.draft_original = ""
        self.draft_message = t("pr.draft.empty")
        self.flags: list[dict] = []
        self.tasks: list[Any] = []
        self.approved: set[str] = set()
        self.task_id: str | None = None
        self.run = 0
        self.cancel_event: threading.Event | None = None
        self.generating = False
        self.stream_tokens = 0
        self.stream_started = 0.0
        self._stream_first_count = 0
        self._sent_text = ""
        self.preview_generation = 0
        self._preview_timer: Timer | None = None
        self._populated = False

    # -- layout ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="pickers"):
            yield Select[str]([], prompt=t("pr.case"), id="case-select", allow_blank=True)
            yield Select[str]([], prompt=t("pr.note"), id="note-select", allow_blank=True)
            yield Select[str]([], prompt=t("pr.task"), id="task-select", allow_blank=True)
        yield Static("", id="task-description")
        with Horizontal(id="work"):
            with Vertical(id="note-pane"):
                yield Label(t("pr.editor"), classes="pane-title")
                yield TextArea(self.note_text, id="note-editor", soft_wrap=True, language=None)
            with TabbedContent(id="side", initial="tab-preview"):
                with TabPane(t("pr.tab.preview"), id="tab-preview"):
                    yield Static("", id="preview-summary")
                    with VerticalScroll(id="preview-scroll"):
                        yield PseudonymPreview(id="preview")
                with TabPane(t("pr.tab.draft"), id="tab-draft"):
                    yield Static(self.draft_message, id="draft-status")
                    yield TextArea("", id="draft-editor", soft_wrap=True, read_only=True)
                    yield Static("", id="flags")
                    with Horizontal(id="review-buttons"):
                        yield Button(t("pr.button.accept"), id="btn-accept", variant="success")
                        yield Button(t("pr.button.reject"), id="btn-reject", variant="error")
                        yield Button(t("pr.button.regenerate"), id="btn-regenerate")
                        yield Button(t("pr.button.copy"), id="btn-copy")
                with TabPane(t("pr.tab.history"), id="tab-history"):
                    yield DataTable(id="history", cursor_type="row", zebra_stripes=True)
        with Horizontal(id="action-bar"):
            yield Button(t("pr.button.generate"), id="btn-generate", variant="primary")
            yield CoreStatusBar(parts=("deid", "store", "model"), id="status")
        yield Footer()

    def on_mount(self) -> None:
        localize_bindings(self)
        self._setup_history_columns()
        self._show_preview_message(t("pr.preview.empty"))
        self._update_review_buttons()
        self.query_one("#note-editor", TextArea).focus()
        if self.assistant is not None:
            self.populate()

    @property
    def assistant(self) -> Assistant | None:
        return getattr(self.app, "assistant", None)

    # -- core status -----------------------------------------------------------------

    def on_core_status(self, message: CoreStatus) -> None:
        self.query_one(CoreStatusBar).refresh_state()
        if message.part == "store" and message.state == "ready" and not self._populated:
            self.populate()
        if message.part == "deid" and message.state == "ready":
            self._schedule_preview(immediate=True)

    # -- cases, notes, tasks -----------------------------------------------------------

    def populate(self) -> None:
        """Fill the pickers once the store is open; offer the demo on an empty store."""
        assistant = self.assistant
        if assistant is None:
            return
        self._populated = True
        self.reload_tasks()
        cases = assistant.store.list_cases()
        if not cases:
            self._offer_demo()
            return
        self._fill_cases(cases, select=self.case_id or cases[0].id)

    def reload_tasks(self) -> None:
        from assistant.prompts import is_approved

        assistant = self.assistant
        assert assistant is not None
        try:
            self.tasks = assistant.tasks()
        except Exception as exc:
            self.notify(getattr(exc, "message", str(exc)), severity="error", timeout=10)
            self.tasks = []
        self.approved = {
            p.id
            for p in self.tasks
            if assistant.settings.allow_unapproved_prompts or is_approved(assistant.store, p)
        }
        options = [(prompt.title, prompt.id) for prompt in self.tasks]
        select = self.query_one("#task-select", Select)
        select.set_options(options)
        ids = [p.id for p in self.tasks]
        approved = [i for i in ids if i in self.approved]
        # The first task a newcomer should meet is the one the demo notes suit best.
        preferred = self.task_id if self.task_id in ids else None
        for candidate in (*approved, *ids):
            if preferred is None and candidate == DEFAULT_TASK:
                preferred = candidate
        preferred = preferred or (approved or ids or [None])[0]
        self.task_id = preferred
        if preferred:
            select.value = preferred
        self._show_task_description()

    def _show_task_description(self) -> None:
        prompt = next((p for p in self.tasks if p.id == self.task_id), None)
        line = Text()
        if prompt is not None:
            if prompt.id not in self.approved:
                line.append(f"✗ {t('pr.task.unapproved')} — ", style="bold yellow")
            line.append(" ".join(prompt.description.split()), style="italic")
        self.query_one("#task-description", Static).update(line)

    def _fill_cases(self, cases: list[Any], select: str | None) -> None:
        options = [(c.label or c.id[:8], c.id) for c in cases]
        options.append((t("pr.new_case_option"), NEW))
        widget = self.query_one("#case-select", Select)
        widget.set_options(options)
        if select:
            widget.value = select
        if select and select != self.case_id:
            self._open_case(select)

    def _open_case(self, case_id: str, note_id: str | None = None) -> None:
        self.case_id = case_id
        notes = self._fill_notes(select=note_id, latest=note_id is None)
        if note_id is None and notes:
            # A case opens on its latest note: the demo shows a real note at once.
            self._load_note(notes[-1])
        elif note_id is None:
            self._load_new_note()

    def _fill_notes(self, select: str | None = None, latest: bool = False) -> list[Any]:
        assistant = self.assistant
        assert assistant is not None and self.case_id is not None
        notes = assistant.store.list_notes(self.case_id)
        options = [(t("pr.new_note_option"), NEW)]
        for i, note in enumerate(notes, start=1):
            options.append((f"{i}. {_note_label(note)}", note.id))
        widget = self.query_one("#note-select", Select)
        widget.set_options(options)
        widget.value = select or (notes[-1].id if latest and notes else NEW)
        return notes

    def _load_note(self, note: Any) -> None:
        self.note_id = note.id
        self.loaded_text = note.raw_text or ""
        self.query_one("#note-select", Select).value = note.id
        self._set_editor_text(self.loaded_text)
        self._clear_draft()
        self._refresh_history()
        if note.deid_text is not None:
            # Stored notes were de-identified when saved: show that text at once,
            # it is exactly what the model receives for this note.
            self.preview_generation += 1
            self._show_preview(note.deid_text, [_EntityView(e) for e in note.entities])
        else:
            self._schedule_preview(immediate=True)

    def _load_new_note(self) -> None:
        self.note_id = None
        self.loaded_text = ""
        _choose(self.query_one("#note-select", Select), NEW)
        self._set_editor_text("")
        self._clear_draft()
        self._refresh_history()
        self._show_preview_message(t("pr.preview.empty"))

    def _set_editor_text(self, text: str) -> None:
        self.note_text = text
        self.query_one("#note-editor", TextArea).load_text(text)

    @on(Select.Changed, "#case-select")
    def _case_changed(self, event: Select.Changed) -> None:
        if _stale(event) or event.value == self.case_id:
            return
        if event.value == NEW:
            self._ask_new_case()
        else:
            self._open_case(str(event.value))

    @on(Select.Changed, "#note-select")
    def _note_changed(self, event: Select.Changed) -> None:
        if _stale(event) or self.assistant is None or event.value == (self.note_id or NEW):
            return
        if event.value == NEW:
            self._load_new_note()
        else:
            self._load_note(self.assistant.store.get_note(str(event.value)))

    @on(Select.Changed, "#task-select")
    def _task_changed(self, event: Select.Changed) -> None:
        if _stale(event) or event.value == self.task_id:
            return
        self.task_id = str(event.value)
        self._show_task_description()

    def _offer_demo(self) -> None:
        from assistant.tui.screens.confirm import ConfirmScreen

        def answer(yes: bool | None) -> None:
            if yes:
                self.install_demo()
            else:
                assert self.assistant is not None
                self._fill_cases(self.assistant.store.list_cases(), None)
                self._load_new_note()

        self.app.push_screen(
            ConfirmScreen(t("pr.demo.title"), t("pr.demo.body"), t("pr.demo.yes"), t("pr.demo.no")),
            answer,
        )

    def install_demo(self) -> None:
        self._show_preview_message(t("pr.preview.waiting"))
        self._install_demo_worker()

    @work(thread=True, exclusive=True, group="demo")
    def _install_demo_worker(self) -> None:
        from assistant.demo import install_demo_case

        assistant = self.assistant
        assert assistant is not None
        try:
            case_id = install_demo_case(assistant)
        except Exception as exc:
            self.app.call_from_thread(self.notify, _message(exc), severity="error", timeout=10)
            return
        self.app.call_from_thread(self._demo_installed, case_id)

    def _demo_installed(self, case_id: str) -> None:
        assert self.assistant is not None
        self.notify(t("pr.demo.installed"))
        self.case_id = None
        self._fill_cases(self.assistant.store.list_cases(), case_id)

    def _ask_new_case(self) -> None:
        from assistant.tui.screens.ask import AskScreen

        def created(label: str | None) -> None:
            assert self.assistant is not None
            if not label:
                if self.case_id:
                    self.query_one("#case-select", Select).value = self.case_id
                return
            case_id = self.assistant.store.create_case(label)
            self.notify(t("pr.case.created"))
            self._fill_cases(self.assistant.store.list_cases(), case_id)

        self.app.push_screen(AskScreen(t("case.title"), t("case.label"), t("case.ok")), created)

    def action_new_case(self) -> None:
        if self.assistant is not None:
            self._ask_new_case()

    def action_add_person(self) -> None:
        from assistant.deid.types import RosterPerson
        from assistant.tui.screens.person import PersonScreen

        if self.assistant is None or self.case_id is None:
            self.notify(t("pr.need_store"), severity="warning")
            return
        selected = self.query_one("#note-editor", TextArea).selected_text.strip()

        def added(result: tuple[str, tuple[str, ...], str] | None) -> None:
            if not result or self.assistant is None or self.case_id is None:
                return
            name, aliases, role = result
            store = self.assistant.store
            roster = store.get_roster(self.case_id)
            roster.append(RosterPerson(name=name, aliases=aliases, role=role))
            store.set_roster(self.case_id, roster)
            self.notify(t("pr.person.added", name=name))
            self._schedule_preview(immediate=True)

        self.app.push_screen(PersonScreen(name=selected), added)

    def action_mask_selection(self) -> None:
        self._override_selection("mask")

    def action_unmask_selection(self) -> None:
        self._override_selection("unmask")

    def _override_selection(self, action: str) -> None:
        """Remember, for the whole case, that the selected words are (not) personal."""
        from assistant.deid.types import Override

        selected = " ".join(self.query_one("#note-editor", TextArea).selected_text.split())
        if not selected:
            self.notify(t("pr.select_first"), severity="warning")
            return
        if self.assistant is None:
            self.notify(t("pr.need_store"), severity="warning")
            return
        if self.case_id is None:
            # Corrections belong to a case: a note without one goes where the
            # pipeline would put it.
            self.case_id = self.assistant.default_case()
            self._fill_cases(self.assistant.store.list_cases(), self.case_id)
            self._fill_notes(select=self.note_id)
        self.assistant.store.add_override(self.case_id, Override(text=selected, action=action))
        # The stored note was de-identified without this correction: the next
        # generation stores it again, de-identified with it.
        self.loaded_text = ""
        self.notify(t(f"pr.{action}ed", text=selected))
        self._schedule_preview(immediate=True)

    # -- the note and its preview --------------------------------------------------------

    @on(TextArea.Changed, "#note-editor")
    def _note_edited(self, event: TextArea.Changed) -> None:
        if event.text_area.text == self.note_text:
            return  # the screen loaded this text itself
        self.note_text = event.text_area.text
        self._schedule_preview()

    def _schedule_preview(self, immediate: bool = False) -> None:
        if self._preview_timer is not None:
            self._preview_timer.stop()
        self._preview_timer = self.set_timer(
            0.01 if immediate else PREVIEW_DEBOUNCE_S, self._start_preview
        )

    def _start_preview(self) -> None:
        text = self.note_text
        self.preview_generation += 1
        if not text.strip():
            self._show_preview_message(t("pr.preview.empty"))
            return
        if self.assistant is None:
            return
        if self.note_id is not None and text == self.loaded_text:
            note = self.assistant.store.get_note(self.note_id)
            if note.deid_text is not None:
                self._show_preview(note.deid_text, [_EntityView(e) for e in note.entities])
                return
        ready = getattr(self.app, "core_state", {}).get("deid", ("idle",))[0] == "ready"
        self.query_one("#preview-summary", Static).update(
            Text(t("pr.preview.working") if ready else t("pr.preview.waiting"), style="dim")
        )
        self._preview_worker(self.preview_generation, text, self.case_id)

    @work(thread=True, exclusive=True, group="preview")
    def _preview_worker(self, generation: int, text: str, case_id: str | None) -> None:
        assistant = self.assistant
        assert assistant is not None
        try:
            result = assistant.preview(text, case_id)
        except Exception as exc:
            self.post_message(PreviewFailed(generation, _message(exc)))
            return
        self.post_message(PreviewReady(generation, result))

    def on_preview_ready(self, message: PreviewReady) -> None:
        if message.generation != self.preview_generation:
            return  # the note changed since: a newer preview is on its way
        self._show_preview(message.result.text, message.result.entities)

    def on_preview_failed(self, message: PreviewFailed) -> None:
        if message.generation == self.preview_generation:
            self._show_preview_message(message.message)

    def _show_preview(self, deid_text: str, entities: list[Any]) -> None:
        self.query_one("#preview-summary", Static).update(masked_summary(entities))
        self.query_one(PseudonymPreview).show_result(deid_text)

    def _show_preview_message(self, message: str) -> None:
        self.query_one("#preview-summary", Static).update("")
        self.query_one(PseudonymPreview).show_message(message)

    def action_new_note(self) -> None:
        if self.case_id is not None:
            self._load_new_note()
        else:
            self._set_editor_text("")
        self.query_one("#note-editor", TextArea).focus()

    # -- generation ------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel":
            return self.generating
        if action in ("accept", "reject"):
            return self._reviewable()
        if action == "copy":
            return self.suggestion is not None and self.suggestion.status in FINAL
        if action == "regenerate":
            return self.suggestion is not None and not self.generating
        if action == "generate":
            return not self.generating
        return True

    def _reviewable(self) -> bool:
        return (
            not self.generating
            and self.suggestion is not None
            and self.suggestion.status in REVIEWABLE
        )

    def action_generate(self) -> None:
        self._start_draft(parent_id=None)

    def action_regenerate(self) -> None:
        if self.suggestion is None:
            self.notify(t("pr.nothing_to_review"), severity="warning")
            return
        self._start_draft(parent_id=self.suggestion.id)

    def _start_draft(self, parent_id: str | None) -> None:
        if self.generating:
            self.notify(t("pr.busy"), severity="warning")
            return
        if self.assistant is None:
            self.notify(t("pr.need_store"), severity="warning")
            return
        text = self.note_text
        if parent_id is None and not text.strip():
            self.notify(t("pr.need_note"), severity="warning")
            return
        if parent_id is None and not self.task_id:
            self.notify(t("pr.need_task"), severity="warning")
            return
        reuse_note = self.note_id if text == self.loaded_text else None
        self._sent_text = text
        self.run += 1
        self.cancel_event = threading.Event()
        self.generating = True
        self.stream_tokens = 0
        self.stream_started = 0.0
        self.suggestion = None
        self.flags = []
        self.query_one("#side", TabbedContent).active = "tab-draft"
        draft = self.query_one("#draft-editor", TextArea)
        draft.read_only = True
        draft.load_text("")
        self._set_draft_status(t("pr.draft.preparing"))
        self.query_one("#flags", Static).update("")
        self._update_review_buttons()
        self.refresh_bindings()
        self._draft_worker(
            self.run, text, self.task_id, self.case_id, reuse_note, parent_id, self.cancel_event
        )

    @work(thread=True, group="draft")
    def _draft_worker(
        self,
        run: int,
        text: str,
        task: str | None,
        case_id: str | None,
        note_id: str | None,
        parent_id: str | None,
        cancel: threading.Event,
    ) -> None:
        assistant = self.assistant
        assert assistant is not None

        # One message per token would keep the event loop busy re-wrapping the draft
        # and steal the CPU the model needs: tokens are sent in small batches.
        batch: list[str] = []
        last_sent = time.perf_counter()

        def on_token(token: str) -> None:
            nonlocal last_sent
            batch.append(token)
            now = time.perf_counter()
            if now - last_sent >= STREAM_BATCH_S:
                self.post_message(DraftToken(run, "".join(batch), len(batch)))
                batch.clear()
                last_sent = now

        def on_progress(message: str) -> None:
            self.post_message(DraftProgress(run, message))

        try:
            if parent_id is not None:
                outcome = assistant.regenerate(
                    parent_id, on_token=on_token, on_progress=on_progress, cancel=cancel
                )
            else:
                assert task is not None
                outcome = assistant.draft(
                    None if note_id else text,
                    task,
                    case_id=case_id,
                    note_id=note_id,
                    on_token=on_token,
                    on_progress=on_progress,
                    cancel=cancel,
                )
        except Exception as exc:
            self.post_message(DraftFailed(run, _message(exc)))
            return
        if batch:
            self.post_message(DraftToken(run, "".join(batch), len(batch)))
        self.post_message(DraftFinished(run, outcome))

    def on_draft_token(self, message: DraftToken) -> None:
        if message.run != self.run:
            return
        now = time.perf_counter()
        if not self.stream_tokens:
            self.stream_started = now
            self._stream_first_count = message.count
        self.stream_tokens += message.count
        draft = self.query_one("#draft-editor", TextArea)
        draft.insert(message.text, draft.document.end)
        draft.scroll_end(animate=False)
        self._set_draft_status(
            t("pr.draft.generating", tokens=self.stream_tokens, rate=self._rate(now))
        )

    def on_draft_progress(self, message: DraftProgress) -> None:
        if message.run == self.run:
            self._set_draft_status(message.message)

    def _rate(self, now: float) -> str:
        """Tokens per second since the first batch arrived (prompt reading excluded)."""
        elapsed = now - self.stream_started
        produced = self.stream_tokens - self._stream_first_count
        if produced < 1 or elapsed <= 0:
            return "…"
        return f"{produced / elapsed:.1f}"

    def on_draft_finished(self, message: DraftFinished) -> None:
        if message.run != self.run:
            return
        outcome = message.outcome
        suggestion = outcome.suggestion
        self.generating = False
        self.suggestion = suggestion
        self.flags = list(suggestion.flags)
        draft = self.query_one("#draft-editor", TextArea)
        if suggestion.status == "cancelled":
            self._set_draft_status(t("pr.draft.cancelled"))
            draft.read_only = True
        else:
            self.draft_original = outcome.reidentified.text
            draft.load_text(self.draft_original)
            draft.read_only = False
            rate = f"{suggestion.tokens_per_s:.1f}" if suggestion.tokens_per_s else "—"
            status = t("pr.draft.pending", tokens=suggestion.completion_tokens or 0, rate=rate)
            unknown = outcome.reidentified.unknown_placeholders
            if unknown:
                status += "\n" + t("pr.draft.unknown", names=", ".join(unknown))
            self._set_draft_status(status)
        self._show_flags()
        self._after_generation(suggestion)

    def on_draft_failed(self, message: DraftFailed) -> None:
        if message.run != self.run:
            return
        self.generating = False
        self._set_draft_status(t("pr.draft.failed", message=message.message))
        self.notify(message.message, severity="error", timeout=10)
        self._update_review_buttons()
        self.refresh_bindings()
        if self.assistant is not None and self.case_id is not None:
            # The note was stored before generation started: list it.
            self._fill_notes(select=self.note_id)

    def _after_generation(self, suggestion: Any) -> None:
        """The note the draft came from is now stored: the editor points at it."""
        assert self.assistant is not None
        self.case_id = suggestion.case_id
        if suggestion.note_id != self.note_id:
            self.note_id = suggestion.note_id
            # What was stored, even if the practitioner typed on during generation.
            self.loaded_text = self._sent_text
            self._fill_cases(self.assistant.store.list_cases(), self.case_id)
            self._fill_notes(select=self.note_id)
        self._refresh_history()
        self._update_review_buttons()
        self.refresh_bindings()

    def action_cancel(self) -> None:
        if self.generating and self.cancel_event is not None:
            self.cancel_event.set()
            self._set_draft_status(t("pr.draft.cancelled"))

    def _set_draft_status(self, message: str) -> None:
        self.draft_message = message
        self.query_one("#draft-status", Static).update(message)

    def _show_flags(self) -> None:
        widget = self.query_one("#flags", Static)
        if not self.suggestion or self.suggestion.status == "cancelled":
            widget.update("")
            return
        text = Text(t("pr.flags.title") + " : ", style="bold")
        if not self.flags:
            text.append(t("pr.flags.none"), style="dim")
        assistant = self.assistant
        for flag in self.flags:
            quoted = flag.get("text", "")
            if assistant is not None and self.case_id is not None:
                quoted = assistant.reidentify(quoted, self.case_id).text
            text.append("\n• « ")
            text.append(quoted, style="bold yellow")
            text.append(f" » — {flag.get('reason', '')}")
        widget.update(text)

    def _clear_draft(self) -> None:
        if self.generating:
            return
        self.suggestion = None
        self.flags = []
        self.draft_original = ""
        draft = self.query_one("#draft-editor", TextArea)
        draft.load_text("")
        draft.read_only = True
        self._set_draft_status(t("pr.draft.empty"))
        self.query_one("#flags", Static).update("")
        self._update_review_buttons()
        self.refresh_bindings()

    # -- review --------------------------------------------------------------------------

    @on(TextArea.Changed, "#draft-editor")
    def _draft_edited(self) -> None:
        self._update_review_buttons()

    def _update_review_buttons(self) -> None:
        reviewable = self._reviewable()
        edited = reviewable and self._draft_text().strip() != self.draft_original.strip()
        accept = self.query_one("#btn-accept", Button)
        accept.label = t("pr.button.accept_edited") if edited else t("pr.button.accept")
        accept.disabled = not reviewable
        self.query_one("#btn-reject", Button).disabled = not reviewable
        self.query_one("#btn-regenerate", Button).disabled = (
            self.suggestion is None or self.generating
        )
        self.query_one("#btn-copy", Button).disabled = not (
            self.suggestion is not None and self.suggestion.status in FINAL
        )
        self.query_one("#btn-generate", Button).disabled = self.generating

    def _draft_text(self) -> str:
        return self.query_one("#draft-editor", TextArea).text

    def action_accept(self) -> None:
        if not self._reviewable():
            self.notify(t("pr.nothing_to_review"), severity="warning")
            return
        text = self._draft_text()
        if text.strip() == self.draft_original.strip():
            self._review_worker(self.suggestion.id, "accepted", None, None)
        else:
            self._review_worker(self.suggestion.id, "edited", None, text)

    def action_reject(self) -> None:
        from assistant.pipeline import REJECTION_REASONS
        from assistant.tui.screens.reject import RejectScreen

        if not self._reviewable():
            self.notify(t("pr.nothing_to_review"), severity="warning")
            return
        suggestion_id = self.suggestion.id

        def chosen(reason: str | None) -> None:
            if reason:
                self._review_worker(suggestion_id, "rejected", reason, None)

        self.app.push_screen(RejectScreen(REJECTION_REASONS), chosen)

    @work(thread=True, exclusive=True, group="review")
    def _review_worker(
        self, suggestion_id: str, decision: str, reason: str | None, edited: str | None
    ) -> None:
        assistant = self.assistant
        assert assistant is not None
        try:
            assistant.review(suggestion_id, decision, reason=reason, edited_text=edited)
            suggestion = assistant.store.get_suggestion(suggestion_id)
        except Exception as exc:
            self.app.call_from_thread(self.notify, _message(exc), severity="error", timeout=10)
            return
        self.app.call_from_thread(self._reviewed, suggestion, reason)

    def _reviewed(self, suggestion: Any, reason: str | None) -> None:
        self.suggestion = suggestion
        draft = self.query_one("#draft-editor", TextArea)
        draft.read_only = True
        if suggestion.status == "rejected":
            self._set_draft_status(t("pr.draft.rejected", reason=reason or ""))
        else:
            self._set_draft_status(t(f"pr.draft.{suggestion.status}"))
        self._refresh_history()
        self._update_review_buttons()
        self.refresh_bindings()

    def action_copy(self) -> None:
        if self.assistant is None or self.suggestion is None or self.suggestion.status not in FINAL:
            self.notify(t("pr.nothing_to_copy"), severity="warning")
            return
        try:
            text = self.assistant.final_text(self.suggestion.id)
        except Exception as exc:
            self.notify(_message(exc), severity="error")
            return
        self.app.copy_to_clipboard(text)
        self.notify(t("pr.copied"))

    @on(Button.Pressed)
    def _button(self, event: Button.Pressed) -> None:
        actions = {
            "btn-generate": self.action_generate,
            "btn-accept": self.action_accept,
            "btn-reject": self.action_reject,
            "btn-regenerate": self.action_regenerate,
            "btn-copy": self.action_copy,
        }
        action = actions.get(event.button.id or "")
        if action is not None:
            event.stop()
            action()

    # -- history ---------------------------------------------------------------------------

    def _setup_history_columns(self) -> None:
        table = self.query_one("#history", DataTable)
        table.clear(columns=True)
        table.add_column(t("pr.history.when"), key="when")
        table.add_column(t("pr.history.task"), key="task")
        table.add_column(t("pr.history.status"), key="status")
        table.add_column(t("pr.history.tokens"), key="tokens")

    def _refresh_history(self) -> None:
        table = self.query_one("#history", DataTable)
        table.clear()
        if self.assistant is None or self.note_id is None:
            return
        titles = {p.id: p.title for p in self.tasks}
        for s in self.assistant.store.list_suggestions(note_id=self.note_id):
            table.add_row(
                _short_date(s.created_at, with_time=True),
                titles.get(s.task, s.task),
                status_label(s.status),
                str(s.completion_tokens or 0),
                key=s.id,
            )

    @on(DataTable.RowSelected, "#history")
    def _history_selected(self, event: DataTable.RowSelected) -> None:
        """Reopen an earlier suggestion: pending ones can still be reviewed."""
        if self.assistant is None or self.generating or event.row_key.value is None:
            return
        suggestion = self.assistant.store.get_suggestion(str(event.row_key.value))
        self.suggestion = suggestion
        self.flags = []
        if suggestion.status in FINAL:
            text = self.assistant.final_text(suggestion.id)
        else:
            text = self.assistant.reidentify(suggestion.output or "", suggestion.case_id).text
        self.draft_original = text
        draft = self.query_one("#draft-editor", TextArea)
        draft.load_text(text)
        draft.read_only = suggestion.status not in REVIEWABLE
        self._set_draft_status(status_label(suggestion.status))
        self.query_one("#flags", Static).update("")
        self.query_one("#side", TabbedContent).active = "tab-draft"
        self._update_review_buttons()
        self.refresh_bindings()

    # -- palette and language -----------------------------------------------------------------

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(t("cmd.generate"), t("cmd.generate.help"), self.action_generate)
        yield SystemCommand(t("cmd.regenerate"), t("cmd.regenerate.help"), self.action_regenerate)
        yield SystemCommand(t("cmd.cancel"), t("cmd.cancel.help"), self.action_cancel)
        yield SystemCommand(t("cmd.accept"), t("cmd.accept.help"), self.action_accept)
        yield SystemCommand(t("cmd.reject"), t("cmd.reject.help"), self.action_reject)
        yield SystemCommand(t("cmd.copy"), t("cmd.copy.help"), self.action_copy)
        yield SystemCommand(t("cmd.new_note"), t("cmd.new_note.help"), self.action_new_note)
        yield SystemCommand(t("cmd.new_case"), t("cmd.new_case.help"), self.action_new_case)
        yield SystemCommand(t("cmd.add_person"), t("cmd.add_person.help"), self.action_add_person)
        yield SystemCommand(t("cmd.mask"), t("cmd.mask.help"), self.action_mask_selection)
        yield SystemCommand(t("cmd.unmask"), t("cmd.unmask.help"), self.action_unmask_selection)
        yield SystemCommand(t("cmd.demo"), t("cmd.demo.help"), self.install_demo)

    def on_language_changed(self, _: LanguageChanged) -> None:
        """Relabel in place: the note, the draft and any running generation are kept."""
        localize_bindings(self)
        self.query_one("#note-pane .pane-title", Label).update(t("pr.editor"))
        tabs = self.query_one("#side", TabbedContent)
        for pane_id, key in (
            ("tab-preview", "pr.tab.preview"),
            ("tab-draft", "pr.tab.draft"),
            ("tab-history", "pr.tab.history"),
        ):
            tabs.get_tab(pane_id).label = t(key)
        for button_id, key in (
            ("btn-generate", "pr.button.generate"),
            ("btn-reject", "pr.button.reject"),
            ("btn-regenerate", "pr.button.regenerate"),
            ("btn-copy", "pr.button.copy"),
        ):
            self.query_one(f"#{button_id}", Button).label = t(key)
        self._update_review_buttons()
        self._setup_history_columns()
        self._refresh_history()
        self.query_one(CoreStatusBar).refresh_state()
        if self.assistant is not None:
            self.reload_tasks()
        if self.suggestion is None and not self.generating:
            self._set_draft_status(t("pr.draft.empty"))
        if not self.note_text.strip():
            self._show_preview_message(t("pr.preview.empty"))
        self.refresh_bindings()


class _EntityView:
    """A stored entity dict seen with the attributes of ``assistant.deid.Entity``."""

    def __init__(self, data: dict) -> None:
        self.type = data.get("type", "?")
        self.placeholder = data.get("placeholder", "")


def _stale(event: Select.Changed) -> bool:
    """True for a blank or outdated change: the screen set the picker again since.

    Select posts Changed from the message queue; when the screen sets a picker
    twice in one go (options, then the chosen note), the first event arrives
    after the second value and must not undo it.
    """
    return event.value is Select.NULL or event.value != event.select.value


def _choose(select: Select, value: str) -> None:
    """Select ``value`` if it is one of the options (an empty case has no note list)."""
    try:
        select.value = value
    except InvalidSelectValueError:
        select.clear()


def _note_label(note: Any) -> str:
    """A note is recognised by its first words (the author may read them), else its date."""
    first = " ".join((note.raw_text or "").split())
    if not first:
        return t("pr.note_label", date=_short_date(note.created_at))
    return first[:40] + ("…" if len(first) > 40 else "")


def _short_date(iso: str | None, with_time: bool = False) -> str:
    if not iso:
        return "—"
    date = f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}"
    return f"{date} {iso[11:16]}" if with_time else date


def _message(exc: BaseException) -> str:
    message = getattr(exc, "message", None)
    return message or f"{type(exc).__name__}: {exc}"
