"""One line under every screen: is the data open, is spaCy ready, which model, how fast."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from assistant.tui.i18n import t


class CoreStatusBar(Static):
    """Shows the app's ``core_state``; screens call ``refresh_state`` on CoreStatus."""

    def __init__(self, *, parts: tuple[str, ...] = ("store", "deid", "model"), **kwargs) -> None:
        super().__init__("", **kwargs)
        self.parts = parts
        self.extra = ""

    def on_mount(self) -> None:
        self.refresh_state()

    def refresh_state(self) -> None:
        state = getattr(self.app, "core_state", {})
        text = Text()
        for part in self.parts:
            value, detail, warning = state.get(part, ("idle", "", ""))
            if text:
                text.append("  ·  ", style="dim")
            text.append_text(_part_text(part, value, detail, warning))
        if self.extra:
            text.append("  ·  ", style="dim")
            text.append(self.extra)
        self.update(text)

    def set_extra(self, extra: str) -> None:
        self.extra = extra
        self.refresh_state()


def _part_text(part: str, state: str, detail: str, warning: str) -> Text:
    styles = {"ready": "green", "loading": "yellow", "error": "bold red", "idle": "dim"}
    if part == "model" and state == "ready":
        label = t("status.model.ready", name=detail)
    else:
        label = t(f"status.{part}.{_state_key(part, state)}")
    text = Text(label, style=styles.get(state, ""))
    if warning:
        text.append(f" — {warning}", style="bold yellow")
    return text


def _state_key(part: str, state: str) -> str:
    if part == "store":
        return {"idle": "locked", "loading": "opening", "ready": "ready", "error": "locked"}[state]
    return state
