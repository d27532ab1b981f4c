"""Text helpers that keep character offsets intact."""

from __future__ import annotations

import re
import unicodedata

# Pseudonyms written by assistant.deid: <PERSONNE_1>, <ADRESSE_2>, <DATE_NAISSANCE_1>…
PLACEHOLDER_RE = re.compile(r"<[A-ZÀ-Ý][A-ZÀ-Ý_]*_\d+>")


def _fold_char(ch: str) -> str:
    decomposed = unicodedata.normalize("NFD", ch)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    # One character in, one character out: offsets in the folded text are the
    # offsets in the original, so regex matches can be reported as draft spans.
    return base if len(base) == 1 else ch


_FOLD_CACHE: dict[str, str] = {}


def fold(text: str) -> str:
    """Lower-case, accent-free copy of ``text`` with the same length."""
    out = []
    for ch in text:
        folded = _FOLD_CACHE.get(ch)
        if folded is None:
            folded = _fold_char(ch.lower())
            if len(folded) != 1:
                folded = ch
            _FOLD_CACHE[ch] = folded
        out.append(folded)
    # Typographic apostrophes and spaces behave like their ASCII forms.
    return (
        "".join(out)
        .replace("\u2019", "'")
        .replace("\u00a0", " ")
        .replace("\u202f", " ")
        .replace("\u2011", "-")
    )


def mask_placeholders(text: str, fill: str = "X") -> str:
    """Same-length copy where pseudonyms cannot be read as numbers or words."""
    return PLACEHOLDER_RE.sub(lambda m: fill * len(m.group()), text)


def placeholders(text: str) -> list[re.Match[str]]:
    return list(PLACEHOLDER_RE.finditer(text))
