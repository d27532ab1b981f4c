"""Add someone to a case's roster: every form of their name will be masked."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from assistant.tui.i18n import t


class PersonScreen(ModalScreen[tuple[str, tuple[str, ...], str] | None]):
    """Dismissed with (name, aliases, role) or None."""

    BINDINGS: ClassVar[list[BindingType]] = [("escape", "cancel", "key.close")]

    def __init__(self, name: str = "") -> None:
        super().__init__()
        self.initial_name = name

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(t("person.title"), classes="dialog-title")
            yield Static(t("person.name"))
            yield Input(value=self.initial_name, id="person-name")
            yield Static(t("person.aliases"))
            yield Input(id="person-aliases")
            yield Static(t("person.role"))
            yield Input(id="person-role")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("person.ok"), variant="primary", id="person-ok")
                yield Button(t("common.cancel"), id="person-cancel")

    def on_mount(self) -> None:
        self.query_one("#person-name", Input).focus()

    def _submit(self) -> None:
        name = self.query_one("#person-name", Input).value.strip()
        if not name:
            self.query_one("#person-name", Input).focus()
            return
        aliases = tuple(
            a.strip()
            for a in self.query_one("#person-aliases", Input).value.split(",")
            if a.strip()
        )
        role = self.query_one("#person-role", Input).value.strip()
        self.dismiss((name, aliases, role))

    def on_input_submitted(self, _: Input.Submitted) -> None:
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "person-ok":
            self._submit()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
