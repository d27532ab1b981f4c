"""Asks the passphrase that unlocks the encrypted notes (never echoed)."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from assistant.tui.i18n import t


class PassphraseScreen(ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [("escape", "cancel", "key.close")]

    def __init__(
        self,
        first_use: bool = False,
        error: str = "",
        on_result: Callable[[str | None], None] | None = None,
    ) -> None:
        super().__init__()
        self.first_use = first_use
        self.error = error
        self.on_result = on_result

    def _finish(self, value: str | None) -> None:
        # The answer goes straight to the app: a push_screen callback is delivered
        # to the screen that was on top when the dialog opened, and that screen
        # (the role picker) may already be gone, losing the passphrase.
        if self.on_result is not None:
            self.app.call_later(self.on_result, value)
        self.dismiss(value)

    def compose(self) -> ComposeResult:
        with Vertical(id="pass-box", classes="dialog"):
            yield Label(t("pass.title"), classes="dialog-title")
            yield Static(t("pass.first") if self.first_use else t("pass.intro"))
            yield Static(self.error, id="pass-error", classes="error")
            yield Input(password=True, placeholder=t("pass.placeholder"), id="pass-input")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("pass.ok"), variant="primary", id="pass-ok")
                yield Button(t("pass.cancel"), id="pass-cancel")

    def on_mount(self) -> None:
        self.query_one("#pass-error").display = bool(self.error)
        self.query_one("#pass-input", Input).focus()

    def _submit(self) -> None:
        value = self.query_one("#pass-input", Input).value
        if not value:
            error = self.query_one("#pass-error", Static)
            error.update(t("pass.empty"))
            error.display = True
            return
        self._finish(value)

    def on_input_submitted(self, _: Input.Submitted) -> None:
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "pass-ok":
            self._submit()
        else:
            self._finish(None)

    def action_cancel(self) -> None:
        self._finish(None)
