"""The ethics committee's view: the de-identified log, read-only, with its integrity.

The source is an export bundle (``--bundle`` or Ctrl+O) or the local store.
Either way only de-identified fields are read (``audit.load_bundle`` /
``Suggestion.to_dict()``), and the chain is verified before the table is trusted.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    DataTable,
    Footer,
    Header,
    Input,
    Select,
    Static,
    TabbedContent,
    TabPane,
)

from assistant.tui.app import localize_bindings
from assistant.tui.i18n import status_label, t
from assistant.tui.messages import CoreStatus, LanguageChanged
from assistant.tui.widgets.charts import BarChart

if TYPE_CHECKING:
    from assistant.pipeline import Assistant

FILTERS = ("task", "status", "model_name", "prompt_version")
SEARCHED = ("task", "output", "rendered_prompt", "model_name", "status")


class CommitteeScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+o", "open_bundle", "key.open"),
        Binding("ctrl+l", "local_log", "key.local"),
        Binding("ctrl+f", "search", "key.search"),
        Binding("ctrl+e", "export", "key.export"),
    ]

    def __init__(self, bundle: Path | None = None) -> None:
        super().__init__()
        self.bundle = bundle
        self.records: list[dict] = []
        self.shown: list[dict] = []
        self.report: Any = None
        self.source_label = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("cm.integrity.checking"), id="integrity")
        with Horizontal(id="filters"):
            yield Input(placeholder=t("cm.filter.search"), id="f-search")
            yield Input(placeholder=t("cm.filter.from"), id="f-from")
            yield Input(placeholder=t("cm.filter.to"), id="f-to")
        with Horizontal(id="filters2"):
            yield Select[str]([], prompt=t("cm.filter.any_task"), id="f-task")
            yield Select[str]([], prompt=t("cm.filter.any_status"), id="f-status")
            yield Select[str]([], prompt=t("cm.filter.any_model"), id="f-model_name")
            yield Select[str]([], prompt=t("cm.filter.any_version"), id="f-prompt_version")
        yield Static("", id="log-count")
        with TabbedContent(id="cm-tabs", initial="cm-table"):
            with TabPane(t("cm.tab.table"), id="cm-table"):
                yield DataTable(id="log-table", cursor_type="row", zebra_stripes=True)
            with TabPane(t("cm.tab.charts"), id="cm-charts"), VerticalScroll(id="charts-scroll"):
                yield BarChart(t("cm.chart.acceptance"), id="chart-acceptance")
                yield BarChart(t("cm.chart.edits"), id="chart-edits")
                yield BarChart(t("cm.chart.status"), id="chart-status")
        yield Footer()

    @property
    def assistant(self) -> Assistant | None:
        return getattr(self.app, "assistant", None)

    def on_mount(self) -> None:
        localize_bindings(self)
        self._setup_columns()
        if self.bundle is not None:
            self.open_bundle(self.bundle)
        elif self.assistant is not None:
            self.open_local()

    def on_core_status(self, message: CoreStatus) -> None:
        if (
            message.part == "store"
            and message.state == "ready"
            and self.bundle is None
            and not self.records
        ):
            self.open_local()

    # -- sources -------------------------------------------------------------------------

    def open_bundle(self, path: Path) -> None:
        self.bundle = Path(path)
        self._integrity(Text(t("cm.integrity.checking")), "")
        self._bundle_worker(self.bundle)

    @work(thread=True, exclusive=True, group="committee")
    def _bundle_worker(self, path: Path) -> None:
        from assistant.audit import load_bundle, verify_bundle

        try:
            suggestions, _events = load_bundle(path)
            report = verify_bundle(path)
        except Exception as exc:
            self.app.call_from_thread(self._failed, _message(exc))
            return
        label = t("cm.source.bundle", name=path.name)
        self.app.call_from_thread(self._loaded, suggestions, report, label)

    def open_local(self) -> None:
        if self.assistant is None:
            self.app.unlock(self.open_local)  # type: ignore[attr-defined]
            return
        self.bundle = None
        self._integrity(Text(t("cm.integrity.checking")), "")
        self._local_worker()

    @work(thread=True, exclusive=True, group="committee")
    def _local_worker(self) -> None:
        from assistant.audit import verify_chain

        assistant = self.assistant
        assert assistant is not None
        try:
            suggestions = [s.to_dict() for s in assistant.store.list_suggestions()]
            report = verify_chain(assistant.store)
        except Exception as exc:
            self.app.call_from_thread(self._failed, _message(exc))
            return
        self.app.call_from_thread(self._loaded, suggestions, report, t("cm.source.local"))

    def _failed(self, message: str) -> None:
        self._integrity(Text(t("cm.integrity.unknown", message=message)), "bad")
        self.notify(message, severity="error", timeout=10)

    def _loaded(self, records: list[dict], report: Any, label: str) -> None:
        self.refresh_bindings()
        self.records = sorted(records, key=lambda r: r.get("created_at") or "", reverse=True)
        self.report = report
        self.source_label = label
        self.app.sub_title = f"{t('app.subtitle.committee')} — {label}"
        self._show_integrity()
        self._fill_filters()
        self.apply_filters()

    def _show_integrity(self) -> None:
        report = self.report
        if report is None:
            return
        if report.ok:
            self._integrity(Text(t("cm.integrity.ok", n=report.events)), "ok")
        else:
            n = report.first_bad if report.first_bad is not None else "?"
            self._integrity(Text(t("cm.integrity.bad", n=n, message=report.message_fr)), "bad")

    def _integrity(self, text: Text, state: str) -> None:
        widget = self.query_one("#integrity", Static)
        widget.set_class(state == "ok", "ok")
        widget.set_class(state == "bad", "bad")
        widget.update(text)

    # -- filters and table -----------------------------------------------------------------

    def _fill_filters(self) -> None:
        for name in FILTERS:
            values = sorted({str(r.get(name) or "") for r in self.records} - {""})
            select = self.query_one(f"#f-{name}", Select)
            if name == "status":
                options = [(status_label(v), v) for v in values]
            elif name == "prompt_version":
                options = [(v[:12], v) for v in values]
            else:
                options = [(v, v) for v in values]
            select.set_options(options)

    def _setup_columns(self) -> None:
        table = self.query_one("#log-table", DataTable)
        table.clear(columns=True)
        for key in (
            "cm.col.when",
            "cm.col.task",
            "cm.col.status",
            "cm.col.model",
            "cm.col.version",
            "cm.col.edit",
        ):
            table.add_column(t(key), key=key)

    @on(Input.Changed)
    @on(Select.Changed)
    def _filter_changed(self) -> None:
        self.apply_filters()

    def apply_filters(self) -> None:
        query = _fold(self.query_one("#f-search", Input).value.strip())
        date_from = self.query_one("#f-from", Input).value.strip()
        date_to = self.query_one("#f-to", Input).value.strip()
        chosen = {}
        for name in FILTERS:
            value = self.query_one(f"#f-{name}", Select).value
            if value is not Select.NULL:
                chosen[name] = value
        shown = []
        for record in self.records:
            day = (record.get("created_at") or "")[:10]
            if date_from and day < date_from:
                continue
            if date_to and day > date_to:
                continue
            if any(str(record.get(k) or "") != v for k, v in chosen.items()):
                continue
            if query and query not in _searchable(record):
                continue
            shown.append(record)
        self.shown = shown
        table = self.query_one("#log-table", DataTable)
        table.clear()
        for record in shown:
            review = record.get("review") or {}
            distance = review.get("edit_distance")
            table.add_row(
                (record.get("created_at") or "")[:16].replace("T", " "),
                record.get("task") or "",
                status_label(record.get("status") or ""),
                record.get("model_name") or "",
                (record.get("prompt_version") or "")[:12],
                "" if distance is None else str(distance),
                key=f"{record.get('source_id', '')}:{record['id']}",
            )
        self.query_one("#log-count", Static).update(
            f"{self.source_label} — {t('cm.count', shown=len(shown), total=len(self.records))}"
        )
        self._draw_charts(shown)

    def _draw_charts(self, records: list[dict]) -> None:
        by_day: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        distances: list[int] = []
        statuses: Counter[str] = Counter()
        for record in records:
            statuses[record.get("status") or "?"] += 1
            review = record.get("review")
            if not review:
                continue
            day = (record.get("created_at") or "")[:10]
            by_day[day][1] += 1
            if review.get("decision") in ("accepted", "edited"):
                by_day[day][0] += 1
            if review.get("decision") == "edited" and review.get("edit_distance") is not None:
                distances.append(int(review["edit_distance"]))
        acceptance = self.query_one("#chart-acceptance", BarChart)
        acceptance.title = t("cm.chart.acceptance")
        acceptance.set_data(
            [(day, ok / total * 100) for day, (ok, total) in sorted(by_day.items())],
            maximum=100,
            fmt="{:.0f} %",
            empty=t("cm.chart.empty"),
        )
        from assistant.audit import DISTANCE_BUCKETS

        buckets = []
        for low, high, label in DISTANCE_BUCKETS:
            count = sum(1 for d in distances if d >= low and (high is None or d <= high))
            buckets.append((label, float(count)))
        edits = self.query_one("#chart-edits", BarChart)
        edits.title = t("cm.chart.edits")
        edits.set_data(buckets if distances else [], empty=t("cm.chart.empty"))
        status_chart = self.query_one("#chart-status", BarChart)
        status_chart.title = t("cm.chart.status")
        status_chart.set_data(
            [(status_label(s), float(n)) for s, n in statuses.most_common()],
            empty=t("cm.chart.empty"),
        )

    @on(DataTable.RowSelected, "#log-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        from assistant.tui.screens.detail import DetailScreen

        key = event.row_key.value
        record = next((r for r in self.shown if f"{r.get('source_id', '')}:{r['id']}" == key), None)
        if record is not None:
            self.app.push_screen(DetailScreen(record))

    # -- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "export":
            # Exports are written from the local store, never re-exported from a bundle.
            return self.bundle is None and self.assistant is not None
        return True

    def action_open_bundle(self) -> None:
        from assistant.tui.screens.ask import AskScreen

        def chosen(path: str | None) -> None:
            if not path:
                return
            target = Path(path).expanduser()
            if not target.exists():
                self.notify(t("cm.open.missing", path=target), severity="error")
                return
            self.open_bundle(target)

        self.app.push_screen(
            AskScreen(t("cm.open.title"), t("cm.open.label"), t("cm.open.ok")), chosen
        )

    def action_local_log(self) -> None:
        self.open_local()

    def action_search(self) -> None:
        self.query_one("#cm-tabs", TabbedContent).active = "cm-table"
        self.query_one("#f-search", Input).focus()

    def action_export(self) -> None:
        """An HTML report of the local log, next to the data directory's exports."""
        if self.assistant is None:
            return
        self._export_worker()

    @work(thread=True, exclusive=True, group="export")
    def _export_worker(self) -> None:
        from datetime import datetime

        from assistant.audit import export_bundle

        assistant = self.assistant
        assert assistant is not None
        out = assistant.home / "exports" / f"journal-{datetime.now():%Y%m%d-%H%M%S}.html"
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            summary = export_bundle(assistant.store, out, "html")
        except Exception as exc:
            self.app.call_from_thread(self.notify, _message(exc), severity="error", timeout=10)
            return
        self.app.call_from_thread(self.notify, t("cm.exported", path=summary["path"]), timeout=10)

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(
            t("cmd.open_bundle"), t("cmd.open_bundle.help"), self.action_open_bundle
        )
        yield SystemCommand(t("cmd.local_log"), t("cmd.local_log.help"), self.action_local_log)
        yield SystemCommand(t("cmd.search"), t("cmd.search.help"), self.action_search)
        yield SystemCommand(t("cmd.export"), t("cmd.export.help"), self.action_export)

    async def on_language_changed(self, _: LanguageChanged) -> None:
        localize_bindings(self)
        records, report, label = self.records, self.report, self.source_label
        await self.recompose()
        self._setup_columns()
        if report is not None:
            self._loaded(records, report, label)


def _fold(text: str) -> str:
    """Case- and accent-insensitive, as a French search box should be."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _searchable(record: dict) -> str:
    review = record.get("review") or {}
    parts = [str(record.get(k) or "") for k in SEARCHED]
    parts += [str(review.get("final_text_deid") or ""), str(review.get("reason") or "")]
    return _fold("\n".join(parts))


def _message(exc: BaseException) -> str:
    message = getattr(exc, "message", None)
    return message or f"{type(exc).__name__}: {exc}"
