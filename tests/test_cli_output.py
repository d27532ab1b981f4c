"""What the CLI prints cannot drive or mislead the terminal."""

from __future__ import annotations

from assistant.cli.core import _safe


def test_terminal_output_has_no_escape_or_bidi_override() -> None:
    hostile = "Mme \x1b[2J\x1b]0;titre\x07X \u202eeidnaM\u202c \x9b31m fin"
    shown = _safe(hostile)
    assert "\x1b" not in shown and "\x9b" not in shown and "\x07" not in shown
    assert "\u202e" not in shown and "\u202c" not in shown
    assert shown.startswith("Mme ") and shown.endswith(" fin")
