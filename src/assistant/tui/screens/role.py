"""The first screen when no role was given: who is using the assistant?"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, OptionList
from textual.widgets.option_list import Option

from assistant.tui.app import localize_bindings
from assistant.tui.i18n import t
from assistant.tui.messages import LanguageChanged

ROLES = ("practitioner", "supervisor", "committee")


class RoleScreen(Screen[None]):
    """Three choices; the practitioner's needs the passphrase, the others show no raw data."""

    BINDINGS: ClassVar[list[BindingType]] = [("escape", "back", "key.close")]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="role-box"):
            yield Label(t("role.title"), id="role-title")
            yield Label(t("role.intro"), id="role-intro")
            yield OptionList(
                *(
                    Option(f"{t(f'role.{role}')}\n  [dim]{t(f'role.{role}.help')}[/]", id=role)
                    for role in ROLES
                ),
                id="role-list",
            )
        yield Footer()

    def on_mount(self) -> None:
        localize_bindings(self)
        self.query_one("#role-list", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        role = event.option.id
        if role:
            self.app.enter_role(role)  # type: ignore[attr-defined]

    def action_back(self) -> None:
        # With nothing under it (first start) there is nowhere to go back to.
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()

    async def on_language_changed(self, _: LanguageChanged) -> None:
        localize_bindings(self)
        await self.recompose()
        self.query_one("#role-list", OptionList).focus()
