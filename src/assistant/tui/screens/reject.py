"""Why a draft is rejected: one of the listed reasons, or the practitioner's own words."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from assistant.tui.i18n import t


class RejectScreen(ModalScreen[str | None]):
    """Dismissed with the reason, or None. Free text goes to audit exports after
    the pipeline de-identifies it, hence the reminder in the label."""

    BINDINGS: ClassVar[list[BindingType]] = [("escape", "cancel", "key.close")]

    def __init__(self, reasons: tuple[str, ...] | list[str]) -> None:
        super().__init__()
        self.reasons = list(reasons)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="reject-box"):
            yield Label(t("reject.title"), classes="dialog-title")
            yield OptionList(
                *(Option(reason, id=f"r{i}") for i, reason in enumerate(self.reasons)),
                id="reject-reasons",
            )
            yield Static(t("reject.other"))
            yield Input(id="reject-other")
            yield Static("", id="reject-error", classes="error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("reject.ok"), variant="error", id="reject-ok")
                yield Button(t("reject.cancel"), id="reject-cancel")

    def on_mount(self) -> None:
        self.query_one("#reject-error").display = False
        self.query_one("#reject-reasons", OptionList).focus()

    def _chosen(self) -> str | None:
        other = self.query_one("#reject-other", Input).value.strip()
        if other:
            return other
        options = self.query_one("#reject-reasons", OptionList)
        if options.highlighted is not None:
            return self.reasons[options.highlighted]
        return None

    def _submit(self) -> None:
        reason = self._chosen()
        if not reason:
            error = self.query_one("#reject-error", Static)
            error.update(t("reject.need"))
            error.display = True
            return
        self.dismiss(reason)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#reject-other", Input).value = ""
        self._submit()

    def on_input_submitted(self, _: Input.Submitted) -> None:
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "reject-ok":
            self._submit()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
