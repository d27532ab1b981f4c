"""Errors a social worker can read.

Every failure the user can meet is an ``AssistantError`` whose message is in
French and says what to do next. The CLI prints it on one line with no
traceback; the TUI shows it in a notification.
"""

from __future__ import annotations


class AssistantError(Exception):
    """A failure with a French message meant for the user."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ModelError(AssistantError):
    """The model file is missing, corrupt, unsupported or cannot be fetched."""


class StoreError(AssistantError):
    """The local database cannot be opened, written or is locked."""


class PassphraseError(AssistantError):
    """The passphrase is missing or wrong."""


class PromptError(AssistantError):
    """A prompt file is malformed, unknown or not approved."""


class InputError(AssistantError):
    """The note given by the user cannot be used (empty, binary, wrong encoding…)."""


class GenerationCancelled(AssistantError):
    """The user stopped a generation."""
