"""The pseudonymised text the model will see, with every placeholder highlighted."""

from __future__ import annotations

from collections import Counter

from rich.text import Text
from textual.widgets import Static

from assistant.deid.types import PLACEHOLDER_RE
from assistant.tui.i18n import t

PLACEHOLDER_STYLE = "bold #1b1b1b on #e8c468"


def highlight_placeholders(text: str) -> Text:
    """``text`` as rich Text with each ``<TYPE_N>`` placeholder highlighted."""
    rich = Text(text)
    for match in PLACEHOLDER_RE.finditer(text):
        rich.stylize(PLACEHOLDER_STYLE, match.start(), match.end())
    return rich


def masked_summary(entities: list) -> str:
    """ "3 éléments masqués : PERSONNE ×2, TEL ×1" — what the practitioner checks first."""
    if not entities:
        return t("pr.preview.none")
    kinds = Counter(getattr(e, "type", "?") for e in entities)
    listing = ", ".join(f"{kind} ×{n}" for kind, n in sorted(kinds.items()))
    return t("pr.preview.count", n=len(entities), kinds=listing)


class PseudonymPreview(Static):
    """Updated by the practitioner screen after each (debounced) de-identification."""

    def show_message(self, message: str) -> None:
        self.update(Text(message, style="italic dim"))

    def show_result(self, deid_text: str) -> None:
        self.update(highlight_placeholders(deid_text))
