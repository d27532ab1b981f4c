"""The Textual app: composes the screens and owns the slow parts' lifecycle.

The first screen is drawn before anything slow is imported: the encrypted store,
spaCy and the model are opened in thread workers, and every screen hears about
their progress through ``CoreStatus`` messages. The app itself holds no domain
logic; screens call ``assistant.pipeline.Assistant`` (from workers when it can
block).
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingsMap, BindingType
from textual.dom import DOMNode
from textual.screen import Screen

from assistant.tui.i18n import CATALOG, language, set_language, t
from assistant.tui.messages import CoreStatus, LanguageChanged

if TYPE_CHECKING:
    from assistant.cli.context import CliContext
    from assistant.pipeline import Assistant

ROLES = ("practitioner", "supervisor", "committee")
# Printed on stdout by the headless probe once the first screen is painted.
FIRST_SCREEN_MARK = "assistant-tui:first-screen"


def localize_bindings(node: DOMNode) -> None:
    """Give ``node``'s bindings the current language.

    Bindings are declared with catalog keys as descriptions (``"key.generate"``);
    Textual's bindings are frozen, so a language switch rebuilds the node's map
    from the class's merged bindings.
    """
    merged = type(node)._merged_bindings
    if merged is None:
        return
    keys: dict[str, list[Binding]] = {}
    for key, bindings in merged.key_to_bindings.items():
        keys[key] = [
            dataclasses.replace(b, description=t(b.description)) if b.description in CATALOG else b
            for b in bindings
        ]
    node._bindings = BindingsMap.from_keys(keys)


class AssistantApp(App[None]):
    """Practitioner, supervisor and ethics-committee views over one data directory."""

    CSS_PATH = "app.tcss"
    TITLE = "Assistant d'écriture"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "key.help"),
        Binding("f2", "choose_role", "key.role"),
        Binding("f9", "toggle_language", "key.language"),
        Binding("ctrl+q", "quit", "key.quit", priority=True),
    ]

    def __init__(
        self,
        home: Path,
        model: str | None = None,
        passphrase: str | None = None,
        role: str | None = None,
        models_dir: Path | None = None,
        bundle: Path | None = None,
        language: str | None = None,
    ) -> None:
        super().__init__()
        self.home = Path(home)
        self.model_spec = model
        self.models_dir = models_dir
        self.bundle = Path(bundle) if bundle else None
        self.initial_role = role if role in ROLES else None
        if bundle and self.initial_role is None:
            self.initial_role = "committee"
        self.role: str | None = None
        self._passphrase = passphrase
        self._language_override = language
        self.assistant: Assistant | None = None
        # store / deid / model: (state, detail, warning); screens read it on mount
        # and then follow CoreStatus messages.
        self.core_state: dict[str, tuple[str, str, str]] = {
            "store": ("idle", "", ""),
            "deid": ("idle", "", ""),
            "model": ("idle", "", ""),
        }
        self._after_unlock: list[Callable[[], None]] = []
        self.first_screen_at: float | None = None

    # -- start ---------------------------------------------------------------------

    def on_mount(self) -> None:
        set_language(self._language_override or self._settings_language())
        self.title = t("app.title")
        localize_bindings(self)
        if self.initial_role:
            self.enter_role(self.initial_role)
        else:
            from assistant.tui.screens.role import RoleScreen

            self.push_screen(RoleScreen())
        self.call_after_refresh(self._first_screen_drawn)

    def _first_screen_drawn(self) -> None:
        self.first_screen_at = time.perf_counter()
        if os.environ.get("ASSISTANT_TUI_PROBE") == "1":
            print(FIRST_SCREEN_MARK, flush=True, file=sys.__stdout__)
            self.exit()

    def _settings_language(self) -> str:
        from assistant.config import Settings
        from assistant.errors import AssistantError

        try:
            return Settings.load(self.home).language
        except AssistantError:
            return "fr"

    # -- roles ---------------------------------------------------------------------

    def enter_role(self, role: str) -> None:
        """Show ``role``'s screen, replacing whatever view was open."""
        from assistant.tui.screens.committee import CommitteeScreen
        from assistant.tui.screens.practitioner import PractitionerScreen
        from assistant.tui.screens.supervisor import SupervisorScreen

        self.role = role
        self.refresh_subtitle()
        screen: Screen
        if role == "practitioner":
            screen = PractitionerScreen()
        elif role == "supervisor":
            screen = SupervisorScreen()
        else:
            screen = CommitteeScreen(bundle=self.bundle)
        # Modal and role screens above the base are dropped: one view at a time.
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(screen)
        if role == "committee" and self.bundle is not None:
            return
        # After the first paint: importing the store (sqlite-utils, cryptography)
        # in a worker still holds the GIL long enough to delay the screen by a second.
        self.call_after_refresh(self.unlock, self._role_unlocked)

    def refresh_subtitle(self) -> None:
        """The header says which view is open, or warns about a demo or test model."""
        self.title = t("app.title")
        if self.role is None:
            return
        self.sub_title = t(f"app.subtitle.{self.role}")
        state, _detail, warning = self.core_state["model"]
        if self.role == "practitioner" and state == "ready" and warning:
            # Where the eye goes first: a demo or test model must not pass for a real
            # one. The whole warning must fit at 80 columns, so it takes the room.
            self.title = t("app.title.short")
            self.sub_title = f"⚠ {t('status.model.warning')}"

    def action_choose_role(self) -> None:
        from assistant.tui.screens.role import RoleScreen

        if isinstance(self.screen, RoleScreen):
            return
        self.push_screen(RoleScreen())

    def action_help(self) -> None:
        from assistant.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_language(self) -> None:
        set_language("en" if language() == "fr" else "fr")
        self.refresh_subtitle()
        localize_bindings(self)
        for screen in self.screen_stack:
            screen.post_message(LanguageChanged(language()))
        self.refresh_bindings()

    # -- unlocking the store and loading the slow parts ------------------------------

    def unlock(self, then: Callable[[], None] | None = None) -> None:
        """Open the encrypted store once (asking the passphrase if needed), then ``then``."""
        if self.assistant is not None:
            if then:
                then()
            return
        if then:
            self._after_unlock.append(then)
        if self.core_state["store"][0] == "loading":
            return
        if self._passphrase is None:
            self._passphrase = os.environ.get("ASSISTANT_PASSPHRASE") or None
        if self._passphrase is None:
            self._ask_passphrase()
        else:
            self._open_store(self._passphrase)

    def _ask_passphrase(self, error: str = "") -> None:
        from assistant.tui.screens.passphrase import PassphraseScreen

        first_use = not (self.home / "assistant.db").exists()

        def done(value: str | None) -> None:
            if value:
                self._passphrase = value
                self._open_store(value)

        self.push_screen(PassphraseScreen(first_use=first_use, error=error, on_result=done))

    def _open_store(self, passphrase: str) -> None:
        self.set_core_status("store", "loading")
        self._open_store_worker(passphrase)

    @work(thread=True, exclusive=True, group="store")
    def _open_store_worker(self, passphrase: str) -> None:
        from assistant.errors import AssistantError, PassphraseError
        from assistant.pipeline import Assistant
        from assistant.store import Store

        try:
            store = Store.open(self.home, passphrase)
            assistant = Assistant(
                store=store, home=self.home, model=self.model_spec, models_dir=self.models_dir
            )
        except PassphraseError as exc:
            self.call_from_thread(self._passphrase_refused, exc.message)
            return
        except AssistantError as exc:
            self.call_from_thread(self.set_core_status, "store", "error", exc.message)
            return
        self.call_from_thread(self._store_opened, assistant)

    def _role_unlocked(self) -> None:
        # Only the practitioner needs spaCy and the model; the other views never load them.
        if self.role == "practitioner":
            self.load_slow_parts()

    def _passphrase_refused(self, message: str) -> None:
        self._passphrase = None
        self.set_core_status("store", "idle")
        self._ask_passphrase(message)

    def _store_opened(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self.set_core_status("store", "ready")
        pending, self._after_unlock = self._after_unlock, []
        for callback in pending:
            callback()

    def load_slow_parts(self) -> None:
        """spaCy and the model, each in its own worker: the practitioner can type meanwhile."""
        if self.assistant is None:
            return
        if self.core_state["deid"][0] in ("idle", "error"):
            self.set_core_status("deid", "loading")
            self._load_deid()
        if self.core_state["model"][0] in ("idle", "error"):
            self.set_core_status("model", "loading")
            self._load_model()

    @work(thread=True, exclusive=True, group="deid")
    def _load_deid(self) -> None:
        assert self.assistant is not None
        try:
            self.assistant.deidentifier.load()
        except Exception as exc:  # shown, never raised: the rest of the app stays usable
            self.call_from_thread(self.set_core_status, "deid", "error", _message(exc))
            return
        self.call_from_thread(self.set_core_status, "deid", "ready")

    @work(thread=True, exclusive=True, group="model")
    def _load_model(self) -> None:
        assert self.assistant is not None
        try:
            backend = self.assistant.load_backend()
        except Exception as exc:
            self.call_from_thread(self.set_core_status, "model", "error", _message(exc))
            return
        info = backend.info
        warning = t("status.model.warning") if info.label in ("demo", "test") else ""
        self.call_from_thread(self.set_core_status, "model", "ready", info.display_name, warning)

    def set_core_status(self, part: str, state: str, detail: str = "", warning: str = "") -> None:
        self.core_state[part] = (state, detail, warning)
        if part == "model":
            self.refresh_subtitle()
        for screen in self.screen_stack:
            screen.post_message(CoreStatus(part, state, detail, warning))
        if state == "error" and detail:
            self.notify(detail, severity="error", timeout=10)

    # -- command palette -------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for role in ROLES:
            yield SystemCommand(
                t(f"cmd.role.{role}"), t("cmd.role.help"), lambda r=role: self.enter_role(r)
            )
        yield SystemCommand(t("cmd.language"), t("cmd.language.help"), self.action_toggle_language)
        yield SystemCommand(t("cmd.help"), t("cmd.help.help"), self.action_help)
        commands = getattr(screen, "palette_commands", None)
        if commands is not None:
            yield from commands()

    async def action_quit(self) -> None:
        # A generation still running is stopped, so it is stored as cancelled
        # rather than found "interrupted" at the next start.
        for screen in self.screen_stack:
            cancel = getattr(screen, "cancel_event", None)
            if cancel is not None:
                cancel.set()
        self.exit()

    def on_unmount(self) -> None:
        if self.assistant is not None:
            self.assistant.close()
            self.assistant.store.close()


def _message(exc: BaseException) -> str:
    message = getattr(exc, "message", None)
    return message or f"{type(exc).__name__}: {exc}"


def run_app(ctx: CliContext) -> None:
    """Entry point of `assistant` without a sub-command."""
    # The passphrase is asked in a modal screen, not on the terminal, unless a
    # script gave it through the environment.
    AssistantApp(home=ctx.home, model=ctx.model).run()


def measure_first_screen(role: str = "practitioner", home: Path | None = None) -> float:
    """Seconds from process start to the first screen drawn, in a headless run.

    A fresh interpreter runs the app headless with ``ASSISTANT_TUI_PROBE=1``;
    the app prints a mark after its first refresh and exits. The clock starts
    before the process is spawned, so imports count, as a user would feel them.
    """
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "ASSISTANT_TUI_PROBE": "1",
            "ASSISTANT_HOME": str(home or Path(tmp) / "home"),
            "ASSISTANT_PASSPHRASE": os.environ.get("ASSISTANT_PASSPHRASE", "mesure"),
        }
        code = (
            "from pathlib import Path; import os;"
            "from assistant.tui.app import AssistantApp;"
            f"AssistantApp(home=Path(os.environ['ASSISTANT_HOME']), role={role!r})"
            ".run(headless=True)"
        )
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-c", code],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert process.stdout is not None
        elapsed = None
        for line in process.stdout:
            if FIRST_SCREEN_MARK in line:
                elapsed = time.perf_counter() - started
                break
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if elapsed is None:
            raise RuntimeError("the TUI never drew its first screen")
        return elapsed
