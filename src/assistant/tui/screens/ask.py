"""A one-line question in a dialog (case name, approver, path of an export)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from assistant.tui.i18n import t


class AskScreen(ModalScreen[str | None]):
    """Dismissed with the stripped answer, or None when cancelled or left empty."""

    BINDINGS: ClassVar[list[BindingType]] = [("escape", "cancel", "key.close")]

    def __init__(self, title: str, label: str, ok: str, value: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.label = label
        self.ok = ok
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(self.label)
            yield Input(value=self.value, id="ask-input")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.ok, variant="primary", id="ask-ok")
                yield Button(t("common.cancel"), id="ask-cancel")

    def on_mount(self) -> None:
        self.query_one("#ask-input", Input).focus()

    def _submit(self) -> None:
        value = self.query_one("#ask-input", Input).value.strip()
        self.dismiss(value or None)

    def on_input_submitted(self, _: Input.Submitted) -> None:
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ask-ok":
            self._submit()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
