"""The supervisor's view: the prompt library, its versions, diffs, approval and statistics.

Nothing here reads a note: prompts are the institution's text, and the
statistics come from de-identified suggestion records (``version_stats``).
"""

from __future__ import annotations

import getpass
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.syntax import Syntax
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    DataTable,
    Footer,
    Header,
    OptionList,
    Select,
    Static,
    TabbedContent,
    TabPane,
)
from textual.widgets.option_list import Option

from assistant.tui.app import localize_bindings
from assistant.tui.i18n import t
from assistant.tui.messages import CoreStatus, LanguageChanged
from assistant.tui.widgets.charts import BarChart
from assistant.tui.widgets.status import CoreStatusBar

if TYPE_CHECKING:
    from assistant.pipeline import Assistant


class SupervisorScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+a", "approve", "key.approve", priority=True),
        Binding("ctrl+d", "show_diff", "key.diff"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.prompts: list[Any] = []
        self.prompt_id: str | None = None
        self.stats: list[dict] = []
        self.approvals: list[dict] = []
        self.versions: list[str] = []
        self.compare_with: str | None = None
        self.diff_text = ""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield OptionList(id="prompt-list")
            with Vertical(id="prompt-detail"):
                yield Static("", id="prompt-approval")
                with TabbedContent(id="sv-tabs", initial="sv-read"):
                    with TabPane(t("sv.tab.read"), id="sv-read"), VerticalScroll():
                        yield Static("", id="prompt-source")
                    with TabPane(t("sv.tab.versions"), id="sv-versions"):
                        yield DataTable(id="versions-table", cursor_type="row")
                    with TabPane(t("sv.tab.diff"), id="sv-diff"):
                        yield Select[str]([], id="diff-select", allow_blank=True)
                        with VerticalScroll():
                            yield Static("", id="prompt-diff")
                    with TabPane(t("sv.tab.stats"), id="sv-stats"), VerticalScroll():
                        yield DataTable(id="stats-table", cursor_type="row")
                        yield BarChart(t("sv.chart.acceptance"), id="stats-chart")
        yield CoreStatusBar(parts=("store",), id="status")
        yield Footer()

    @property
    def assistant(self) -> Assistant | None:
        return getattr(self.app, "assistant", None)

    def on_mount(self) -> None:
        localize_bindings(self)
        self.query_one(CoreStatusBar).set_extra(t("status.readonly"))
        self.query_one("#prompt-list", OptionList).focus()
        if self.assistant is not None:
            self.load()

    def on_core_status(self, message: CoreStatus) -> None:
        self.query_one(CoreStatusBar).refresh_state()
        if message.part == "store" and message.state == "ready" and not self.prompts:
            self.load()

    def load(self) -> None:
        self._load_worker()

    @work(thread=True, exclusive=True, group="supervisor")
    def _load_worker(self) -> None:
        from assistant.prompts import approval_record, approvals, version_stats

        assistant = self.assistant
        assert assistant is not None
        try:
            prompts = assistant.tasks()
            all_approvals = approvals(assistant.store)
            local = {(a.get("prompt_id"), a.get("version")) for a in all_approvals}
            # Versions approved by the library's published list count too.
            for prompt in prompts:
                if (prompt.id, prompt.version) not in local:
                    record = approval_record(assistant.store, prompt)
                    if record is not None:
                        all_approvals.append(record)
            stats = version_stats(assistant.store)
        except Exception as exc:
            self.app.call_from_thread(self.notify, _message(exc), severity="error", timeout=10)
            return
        self.app.call_from_thread(self._loaded, prompts, all_approvals, stats)

    def _loaded(self, prompts: list[Any], all_approvals: list[dict], stats: list[dict]) -> None:
        self.prompts = prompts
        self.approvals = all_approvals
        self.stats = stats
        approved = {(a.get("prompt_id"), a.get("version")) for a in all_approvals}
        widget = self.query_one("#prompt-list", OptionList)
        highlighted = widget.highlighted
        widget.clear_options()
        for prompt in prompts:
            mark = "✓" if (prompt.id, prompt.version) in approved else "✗"
            widget.add_option(Option(f"{mark} {prompt.title}", id=prompt.id))
        if prompts:
            index = next(
                (i for i, p in enumerate(prompts) if p.id == self.prompt_id), highlighted or 0
            )
            widget.highlighted = index
            self.show_prompt(prompts[index].id)

    @on(OptionList.OptionHighlighted, "#prompt-list")
    def _prompt_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id and event.option.id != self.prompt_id:
            self.show_prompt(event.option.id)

    # -- one prompt ---------------------------------------------------------------------

    def _current(self) -> Any:
        return next((p for p in self.prompts if p.id == self.prompt_id), None)

    def show_prompt(self, prompt_id: str) -> None:
        self.prompt_id = prompt_id
        prompt = self._current()
        if prompt is None:
            return
        self._show_approval(prompt)
        self.query_one("#prompt-source", Static).update(
            Syntax(prompt.source, "toml", word_wrap=True, theme="ansi_dark")
        )
        self._fill_versions(prompt)
        self._fill_diff_choices(prompt)
        self._fill_stats(prompt)

    def _approval_of(self, prompt_id: str, version: str) -> dict | None:
        return next(
            (
                a
                for a in self.approvals
                if a.get("prompt_id") == prompt_id and a.get("version") == version
            ),
            None,
        )

    def _show_approval(self, prompt: Any) -> None:
        approval = self._approval_of(prompt.id, prompt.version)
        header = Text(f"{prompt.title} — {prompt.short_version}\n", style="bold")
        if approval:
            header.append(
                t(
                    "sv.approved",
                    who=approval.get("approver", "?"),
                    when=str(approval.get("approved_at", ""))[:10],
                ),
                style="green",
            )
        else:
            header.append(t("sv.not_approved"), style="bold yellow")
        self.query_one("#prompt-approval", Static).update(header)

    def _known_versions(self, prompt: Any) -> list[str]:
        """The current file's version first, then every version approvals or drafts used."""
        versions = [prompt.version]
        for a in self.approvals:
            if a.get("prompt_id") == prompt.id and a.get("version") not in versions:
                versions.append(a["version"])
        for row in self.stats:
            if row["prompt_id"] == prompt.id and row["version"] not in versions:
                versions.append(row["version"])
        return versions

    def _fill_versions(self, prompt: Any) -> None:
        table = self.query_one("#versions-table", DataTable)
        table.clear(columns=True)
        table.add_column(t("sv.col.version"))
        table.add_column(t("sv.col.state"))
        table.add_column(t("sv.col.approver"))
        table.add_column(t("sv.col.uses"))
        uses = {r["version"]: r["uses"] for r in self.stats if r["prompt_id"] == prompt.id}
        self.versions = self._known_versions(prompt)
        for version in self.versions:
            approval = self._approval_of(prompt.id, version)
            state = t("sv.version.current") if version == prompt.version else ""
            who = ""
            if approval:
                who = f"{approval.get('approver', '')} {str(approval.get('approved_at', ''))[:10]}"
            table.add_row(version[:12], state, who, str(uses.get(version, 0)), key=version)

    def _fill_diff_choices(self, prompt: Any) -> None:
        older = [v for v in self.versions if v != prompt.version]
        select = self.query_one("#diff-select", Select)
        select.set_options([(f"{v[:12]} → {prompt.short_version}", v) for v in older])
        self.compare_with = older[0] if older else None
        if self.compare_with:
            select.value = self.compare_with
        self._show_diff()

    @on(Select.Changed, "#diff-select")
    def _diff_changed(self, event: Select.Changed) -> None:
        if event.value is not Select.NULL and event.value != self.compare_with:
            self.compare_with = str(event.value)
            self._show_diff()

    def _show_diff(self) -> None:
        from assistant.prompts import diff, stored_source

        widget = self.query_one("#prompt-diff", Static)
        self.diff_text = ""
        prompt = self._current()
        if prompt is None or self.compare_with is None or self.assistant is None:
            widget.update(Text(t("sv.diff.none"), style="dim italic"))
            return
        old = stored_source(self.assistant.store, self.compare_with) or ""
        text = diff(old, prompt.source, self.compare_with[:12], prompt.short_version)
        self.diff_text = text
        if not text:
            widget.update(Text(t("sv.diff.same"), style="dim italic"))
            return
        widget.update(Syntax(text, "diff", word_wrap=True, theme="ansi_dark"))

    def _fill_stats(self, prompt: Any) -> None:
        table = self.query_one("#stats-table", DataTable)
        table.clear(columns=True)
        for key in (
            "sv.col.version",
            "sv.col.uses",
            "sv.col.reviewed",
            "sv.col.acceptance",
            "sv.col.edit",
            "sv.col.rejected",
        ):
            table.add_column(t(key))
        rows = [r for r in self.stats if r["prompt_id"] == prompt.id]
        for r in rows:
            rate = r["acceptance_rate"]
            edit = r["mean_edit_distance"]
            table.add_row(
                r["short_version"],
                str(r["uses"]),
                str(r["reviewed"]),
                "—" if rate is None else f"{rate * 100:.0f} %",
                "—" if edit is None else f"{edit:.0f}",
                str(r["rejected"]),
            )
        chart = self.query_one("#stats-chart", BarChart)
        chart.title = t("sv.chart.acceptance")
        chart.set_data(
            [
                (r["short_version"], (r["acceptance_rate"] or 0) * 100)
                for r in rows
                if r["reviewed"]
            ],
            maximum=100,
            fmt="{:.0f} %",
            empty=t("sv.stats.empty"),
        )

    # -- actions ------------------------------------------------------------------------

    def action_show_diff(self) -> None:
        self.query_one("#sv-tabs", TabbedContent).active = "sv-diff"

    def action_approve(self) -> None:
        from assistant.tui.screens.ask import AskScreen

        prompt = self._current()
        if prompt is None or self.assistant is None:
            return
        default = self.assistant.settings.reviewer or _login()

        def approver_given(name: str | None) -> None:
            if name:
                self.approve(prompt.id, prompt.version, name)

        self.app.push_screen(
            AskScreen(
                t("sv.approver.title", version=prompt.short_version),
                t("sv.approver.label"),
                t("key.approve"),
                value=default,
            ),
            approver_given,
        )

    def approve(self, prompt_id: str, version: str, approver: str) -> None:
        """Record the approval in the audit chain, then reload what it changes."""
        from assistant.prompts import approve

        assert self.assistant is not None
        try:
            result = approve(
                self.assistant.store, prompt_id, version, approver, library=self.assistant.library
            )
        except Exception as exc:
            self.notify(_message(exc), severity="error", timeout=10)
            return
        if result.get("already_approved"):
            self.notify(t("sv.approved.already"))
        else:
            self.notify(t("sv.approved.done", version=version[:12]))
        self.load()

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(t("cmd.approve"), t("cmd.approve.help"), self.action_approve)
        yield SystemCommand(t("cmd.diff"), t("cmd.diff.help"), self.action_show_diff)

    async def on_language_changed(self, _: LanguageChanged) -> None:
        localize_bindings(self)
        await self.recompose()
        self.query_one(CoreStatusBar).set_extra(t("status.readonly"))
        if self.assistant is not None:
            self.load()


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def _message(exc: BaseException) -> str:
    message = getattr(exc, "message", None)
    return message or f"{type(exc).__name__}: {exc}"
