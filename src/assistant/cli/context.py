"""What every command shares: the data directory, the model, the passphrase."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import click

from assistant.config import default_home
from assistant.errors import PassphraseError

if TYPE_CHECKING:
    from assistant.pipeline import Assistant
    from assistant.store import Store


@dataclass
class CliContext:
    home: Path
    model: str | None
    _passphrase: str | None = None
    _store: Store | None = None
    _assistant: Assistant | None = None
    _closers: list = field(default_factory=list)

    @classmethod
    def create(cls, home: str | None, model: str | None) -> CliContext:
        return cls(home=Path(home).expanduser() if home else default_home(), model=model)

    def passphrase(self) -> str:
        """From ASSISTANT_PASSPHRASE (scripts, tests) or asked without echo."""
        if self._passphrase is None:
            value = os.environ.get("ASSISTANT_PASSPHRASE")
            if value is None:
                if not click.get_text_stream("stdin").isatty():
                    raise PassphraseError(
                        "Phrase de passe requise : définissez ASSISTANT_PASSPHRASE "
                        "ou lancez la commande dans un terminal."
                    )
                value = click.prompt("Phrase de passe", hide_input=True)
            if not value:
                raise PassphraseError("La phrase de passe ne peut pas être vide.")
            self._passphrase = value
        return self._passphrase

    def store(self) -> Store:
        if self._store is None:
            from assistant.store import Store

            self._store = Store.open(self.home, self.passphrase())
        return self._store

    def assistant(self) -> Assistant:
        if self._assistant is None:
            from assistant.pipeline import Assistant

            self._assistant = Assistant(store=self.store(), home=self.home, model=self.model)
        return self._assistant

    def close(self) -> None:
        if self._assistant is not None:
            self._assistant.close()
        if self._store is not None:
            self._store.close()
