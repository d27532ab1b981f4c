"""Where things live and the few settings a service can change.

The data directory (``--home`` / ``ASSISTANT_HOME``) holds the encrypted
database, the settings file and the log file. GGUF models live in a models
directory (``ASSISTANT_MODELS_DIR``; the Makefile points it at the checkout's
``models/``). Prompts are read from ``ASSISTANT_PROMPTS_DIR`` or the
checkout's ``prompts/``.
"""

from __future__ import annotations

import contextlib
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from assistant.errors import AssistantError

APP_NAME = "assistant-notes"
SETTINGS_FILE = "settings.toml"
# The source checkout: src/assistant/config.py -> parents[2].
SOURCE_ROOT = Path(__file__).resolve().parents[2]


def default_home() -> Path:
    """The platform's user data directory, unless ASSISTANT_HOME says otherwise."""
    env = os.environ.get("ASSISTANT_HOME")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_models_dir() -> Path:
    env = os.environ.get("ASSISTANT_MODELS_DIR")
    if env:
        return Path(env).expanduser()
    checkout = SOURCE_ROOT / "models"
    if checkout.is_dir():
        return checkout
    return default_home() / "models"


def default_prompts_dir() -> Path:
    env = os.environ.get("ASSISTANT_PROMPTS_DIR")
    if env:
        return Path(env).expanduser()
    return SOURCE_ROOT / "prompts"


@dataclass
class Settings:
    """User-editable settings, stored as TOML in the data directory."""

    model: str | None = None
    allow_unapproved_prompts: bool = False
    retention_days: int | None = None
    language: str = "fr"
    n_threads: int | None = None
    n_ctx: int = 4096
    reviewer: str = ""
    server_url: str | None = None
    extra: dict = field(default_factory=dict)

    @classmethod
    def load(cls, home: Path) -> Settings:
        path = home / SETTINGS_FILE
        if not path.exists():
            return cls()
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise AssistantError(
                f"Le fichier de réglages {path} est illisible ({exc}). "
                "Corrigez-le ou supprimez-le pour revenir aux réglages par défaut."
            ) from exc
        known = {k: data.pop(k) for k in list(data) if k in cls.__dataclass_fields__}
        return cls(**known, extra=data)

    def save(self, home: Path) -> None:
        lines = []
        for key in self.__dataclass_fields__:
            if key == "extra":
                continue
            value = getattr(self, key)
            if value is None:
                continue
            lines.append(f"{key} = {_toml_value(value)}")
        for key, value in self.extra.items():
            lines.append(f"{key} = {_toml_value(value)}")
        ensure_private_dir(home)
        path = home / SETTINGS_FILE
        tmp = path.with_suffix(".tmp")
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def ensure_private_dir(path: Path) -> Path:
    """Create a directory only its owner can read (0700)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    # A directory we do not own keeps its mode: not ours to change.
    with contextlib.suppress(PermissionError):
        os.chmod(path, 0o700)
    return path
