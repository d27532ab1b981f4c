"""Numbers, amounts, dates, durations and ages, normalised for comparison.

"six mois", "6 mois" and "une demi-année" should compare equal; so should
"607 €" and "607 euros", "1 200 €" and "1200 euros". Everything works on the
folded text (lower case, no accents, same offsets) with pseudonyms masked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.review_aids.text import fold, mask_placeholders

MONTHS = {
    "janvier": 1,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "decembre": 12,
}
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")

_UNITS_WORDS = {
    "zero": 0,
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "treize": 13,
    "quatorze": 14,
    "quinze": 15,
    "seize": 16,
    "vingt": 20,
    "vingts": 20,
    "trente": 30,
    "quarante": 40,
    "cinquante": 50,
    "soixante": 60,
}
_APPROX = {
    "huitaine": 8,
    "dizaine": 10,
    "douzaine": 12,
    "quinzaine": 15,
    "vingtaine": 20,
    "trentaine": 30,
    "quarantaine": 40,
    "cinquantaine": 50,
    "soixantaine": 60,
    "centaine": 100,
}
_NUMBER_WORD = r"(?:zero|une?|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|vingts?|trente|quarante|cinquante|soixante|cents?|mille)"
_WORDS_RE = rf"{_NUMBER_WORD}(?:(?:[- ]|-?et-?| et )(?:{_NUMBER_WORD}))*"

# Unit -> (canonical unit, factor): durations compare in months or days so that
# "un an" and "12 mois" agree; money in euros.
UNITS: dict[str, tuple[str, float]] = {
    "€": ("EUR", 1),
    "euro": ("EUR", 1),
    "euros": ("EUR", 1),
    "eur": ("EUR", 1),
    "k€": ("EUR", 1000),
    "%": ("PCT", 1),
    "pour cent": ("PCT", 1),
    "pourcent": ("PCT", 1),
    "an": ("MONTH", 12),
    "ans": ("MONTH", 12),
    "annee": ("MONTH", 12),
    "annees": ("MONTH", 12),
    "mois": ("MONTH", 1),
    "semaine": ("DAY", 7),
    "semaines": ("DAY", 7),
    "jour": ("DAY", 1),
    "jours": ("DAY", 1),
    "nuit": ("NIGHT", 1),
    "nuits": ("NIGHT", 1),
    "heure": ("MIN", 60),
    "heures": ("MIN", 60),
    "h": ("MIN", 60),
    "minute": ("MIN", 1),
    "minutes": ("MIN", 1),
    "min": ("MIN", 1),
    "fois": ("FOIS", 1),
    "reprise": ("FOIS", 1),
    "reprises": ("FOIS", 1),
}
_UNIT_RE = r"(?:k€|€|euros?|eur\b|%|pour ?cent|ans?\b|annees?|mois|semaines?|jours?|nuits?|heures?|minutes?|min\b|fois|reprises?)"

_DIGITS = r"\d{1,3}(?:[ .]\d{3})+(?:,\d+)?|\d+(?:[,.]\d+)?"
_MONTH_RE = "|".join(MONTHS)

_DATE_NUMERIC = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})\b")
_DATE_TEXT = re.compile(rf"\b(1er|\d{{1,2}}|{_WORDS_RE})\s+({_MONTH_RE})\b(?:\s+(\d{{4}}))?")
_MONTH_YEAR = re.compile(rf"\b({_MONTH_RE})\s+(\d{{4}})\b")
_MONTH_ALONE = re.compile(rf"\b({_MONTH_RE})\b")
_DATE_SHORT = re.compile(r"\b(\d{1,2})/(\d{1,2})\b(?!/)")
# "du 2 au 3 avril", "les 2 et 3 avril": the first day is a date too.
_DATE_RANGE = re.compile(rf"\b(\d{{1,2}})\s*(?:au|et|-|a)\s*(?=\d{{1,2}}\s+(?:{_MONTH_RE})\b)")
# Flat types: "T3", "F4" (number of main rooms).
_FLAT_TYPE = re.compile(r"\b[tf](\d)(?:\s?bis)?\b")
_LIST_MARKER = re.compile(r"(?m)^[ \t]*(\d{1,2}[.)])[ \t]")
_ORDINAL_WORDS = {
    "deuxieme": 2,
    "troisieme": 3,
    "quatrieme": 4,
    "cinquieme": 5,
    "sixieme": 6,
    "septieme": 7,
    "huitieme": 8,
    "neuvieme": 9,
    "dixieme": 10,
}
_ORDINAL_WORD_RE = re.compile(rf"\b({'|'.join(_ORDINAL_WORDS)})\b")
_ORDINAL = re.compile(r"\b(\d{1,2})\s?(?:e|eme|er|ere|nd|nde)\b")
# Words after a number that are not what it counts.
_NOT_COUNTED = {
    "de",
    "d'",
    "du",
    "des",
    "et",
    "ou",
    "a",
    "au",
    "aux",
    "en",
    "par",
    "pour",
    "le",
    "la",
    "les",
    "sur",
    "dans",
    "avec",
    "chez",
    "ans",
    "an",
    "mois",
}
_WEEKDAY = re.compile(rf"\b({'|'.join(WEEKDAYS)})\b")
_TIME = re.compile(r"\b(\d{1,2})\s?h\s?(\d{2})?\b")
_YEAR = re.compile(r"\b(19\d{2}|20\d{2})\b")
_QUANTITY = re.compile(
    rf"(?<![\w,.])({_DIGITS}|{_WORDS_RE})(?![\w])"
    rf"(?:\s*(?:(et demi|et demie)\s*)?({_UNIT_RE})(?:\s+(et demi|et demie))?)?"
)
_APPROX_RE = re.compile(
    rf"\b(?:une?\s+)?({'|'.join(_APPROX)})s?(?:\s+(?:de\s+|d'))?\s*({_UNIT_RE})?"
)
_DEMI = re.compile(rf"\b(?:une?\s+)?demi-?\s?({_UNIT_RE})")


@dataclass(frozen=True)
class Mention:
    """A number-like mention: ``kind`` is "date", "time", "weekday" or "quantity"."""

    kind: str
    start: int
    end: int
    text: str
    value: float | None = None
    unit: str | None = None
    number: float | None = None  # the number as written, before unit conversion
    context: tuple[str, ...] = ()  # the words that follow it
    day: int | None = None
    month: int | None = None
    year: int | None = None


def words_to_number(text: str) -> float | None:
    """French number words ("vingt-trois", "quatre-vingt-dix", "deux cents") to a value."""
    text = text.replace("quatre-vingts", "quatrevingt").replace("quatre-vingt", "quatrevingt")
    text = text.replace("quatre vingt", "quatrevingt")
    parts = [p for p in re.split(r"[- ]|\bet\b", text) if p]
    if not parts:
        return None
    total = 0
    current = 0
    for part in parts:
        if part in ("quatrevingt", "quatrevingts"):
            current += 80
        elif part in _UNITS_WORDS:
            current += _UNITS_WORDS[part]
        elif part in ("cent", "cents"):
            current = (current or 1) * 100
        elif part == "mille":
            total += (current or 1) * 1000
            current = 0
        else:
            return None
    return float(total + current)


def parse_number(text: str) -> float | None:
    raw = text.strip()
    if raw and raw[0].isdigit():
        digits = re.sub(r"[ .](?=\d{3}\b)", "", raw).replace(",", ".")
        try:
            return float(digits)
        except ValueError:
            return None
    return words_to_number(raw)


def _year(text: str) -> int:
    value = int(text)
    return value + 2000 if value < 100 else value


def extract(text: str) -> list[Mention]:
    """Every number-like mention of ``text``, with offsets in ``text``."""
    folded = fold(mask_placeholders(text))
    taken = [False] * len(folded)
    mentions: list[Mention] = []

    def free(start: int, end: int) -> bool:
        return not any(taken[start:end])

    def add(kind: str, start: int, end: int, **fields: object) -> None:
        mentions.append(Mention(kind, start, end, text[start:end], **fields))  # type: ignore[arg-type]
        for i in range(start, end):
            taken[i] = True

    for m in _LIST_MARKER.finditer(folded):
        for i in range(m.start(1), m.end(1)):
            taken[i] = True  # "1." or "2)" numbering a list is not a fact
    for m in _DATE_NUMERIC.finditer(folded):
        day, month = int(m.group(1)), int(m.group(2))
        if 1 <= day <= 31 and 1 <= month <= 12:
            add("date", m.start(), m.end(), day=day, month=month, year=_year(m.group(3)))
    for m in _DATE_TEXT.finditer(folded):
        if not free(m.start(), m.end()):
            continue
        day_text = m.group(1)
        day = 1 if day_text == "1er" else parse_number(day_text)
        if day is None or not 1 <= day <= 31:
            continue
        year = int(m.group(3)) if m.group(3) else None
        add("date", m.start(), m.end(), day=int(day), month=MONTHS[m.group(2)], year=year)
    for m in _DATE_RANGE.finditer(folded):
        if free(m.start(1), m.end(1)):
            day = int(m.group(1))
            if 1 <= day <= 31:
                add("date", m.start(1), m.end(1), day=day)
    for m in _DATE_SHORT.finditer(folded):
        day, month = int(m.group(1)), int(m.group(2))
        if free(m.start(), m.end()) and 1 <= day <= 31 and 1 <= month <= 12:
            add("date", m.start(), m.end(), day=day, month=month)
    for m in _MONTH_YEAR.finditer(folded):
        if free(m.start(), m.end()):
            add("date", m.start(), m.end(), month=MONTHS[m.group(1)], year=int(m.group(2)))
    for m in _MONTH_ALONE.finditer(folded):
        if free(m.start(1), m.end(1)):
            add("date", m.start(1), m.end(1), month=MONTHS[m.group(1)])
    for m in _WEEKDAY.finditer(folded):
        if free(m.start(), m.end()):
            add("weekday", m.start(), m.end(), day=WEEKDAYS.index(m.group(1)))
    for m in _TIME.finditer(folded):
        if free(m.start(), m.end()):
            hours, minutes = int(m.group(1)), int(m.group(2) or 0)
            if hours <= 24:
                add("time", m.start(), m.end(), value=hours * 60 + minutes, unit="CLOCK")
    for m in _FLAT_TYPE.finditer(folded):
        if free(m.start(), m.end()):
            add("quantity", m.start(), m.end(), value=float(m.group(1)), unit="PIECES")
    for m in _ORDINAL_WORD_RE.finditer(folded):
        if free(m.start(), m.end()):
            value = float(_ORDINAL_WORDS[m.group(1)])
            add("quantity", m.start(), m.end(), value=value, unit="ORD")
    for m in _ORDINAL.finditer(folded):
        if free(m.start(), m.end()):
            add("quantity", m.start(), m.end(), value=float(m.group(1)), unit="ORD")
    for m in _YEAR.finditer(folded):
        if free(m.start(), m.end()):
            add("date", m.start(), m.end(), year=int(m.group(1)))
    for m in _DEMI.finditer(folded):
        if free(m.start(), m.end()):
            unit, factor = UNITS[m.group(1).strip()]
            add("quantity", m.start(), m.end(), value=0.5 * factor, unit=unit)
    for m in _APPROX_RE.finditer(folded):
        if free(m.start(), m.end()):
            value = float(_APPROX[m.group(1)])
            unit = None
            if m.group(2):
                unit, factor = UNITS[m.group(2).strip()]
                value *= factor
            add("quantity", m.start(), m.end(), value=value, unit=unit)
    for m in _QUANTITY.finditer(folded):
        if not free(m.start(), m.end()):
            continue
        number_text = m.group(1)
        unit_text = m.group(3)
        start = m.start()
        first, _, rest = number_text.partition(" ")
        if first in ("un", "une") and rest:
            # "un trois pièces": the article, then the number.
            number_text, start = rest, m.start() + len(first) + 1
        if number_text in ("un", "une") and not unit_text:
            continue  # the indefinite article, not a number
        value = parse_number(number_text)
        if value is None:
            continue
        unit = None
        end = m.end(1)
        if not unit_text:
            # "trois pièces", "deux filles": the counted noun is the unit, so
            # that "trois semaines" does not vouch for "trois mois".
            after = re.match(r"\s+([a-z][a-z'-]*)", folded[end:])
            if after and after.group(1) not in _NOT_COUNTED and len(after.group(1)) > 2:
                noun = after.group(1).rstrip("sx") or after.group(1)
                unit = f"N:{noun}"
                end += after.end()
        else:
            unit_key = unit_text.strip()
            unit_key = "pour cent" if unit_key.startswith("pour") else unit_key
            unit, factor = UNITS[unit_key]
            if m.group(2) or m.group(4):
                value += 0.5
            value *= factor
            end = m.end()
        following = tuple(
            w.rstrip("sx")
            for w in re.findall(r"[a-z][a-z'-]*", folded[m.end(1) : m.end(1) + 40])[:4]
        )
        add(
            "quantity",
            start,
            end,
            value=value,
            unit=unit,
            number=parse_number(number_text),
            context=following,
        )
    mentions.sort(key=lambda x: x.start)
    return mentions


def _close(a: float, b: float) -> bool:
    return abs(a - b) < 1e-6


def supported(mention: Mention, note_mentions: list[Mention]) -> bool:
    """Whether a draft mention is backed by one of the note's mentions."""
    if mention.kind == "date":
        for other in note_mentions:
            if other.kind == "date":
                pairs = [
                    (mention.day, other.day),
                    (mention.month, other.month),
                    (mention.year, other.year),
                ]
                shared = [(a, b) for a, b in pairs if a is not None and b is not None]
                if shared and all(a == b for a, b in shared):
                    return True
            elif (
                other.kind == "quantity"
                and other.value is not None
                and other.unit is None
                and mention.day is None
                and mention.month is None
                and mention.year is not None
                and _close(other.value, mention.year)
            ):
                return True
        return False
    if mention.kind == "weekday":
        return any(o.kind == "weekday" and o.day == mention.day for o in note_mentions)
    if mention.kind == "time":
        # "20 h par semaine" is read as a clock time; "20 heures" as a duration.
        return any(
            o.kind in ("time", "quantity")
            and (o.unit in ("CLOCK", "MIN"))
            and o.value is not None
            and mention.value is not None
            and _close(o.value, mention.value)
            for o in note_mentions
        )
    if mention.value is None:
        return True
    for other in note_mentions:
        if other.kind == "date":
            if mention.unit is None and mention.number in (other.day, other.year):
                return True
            continue
        if other.kind == "time":
            if mention.unit == "MIN" and _close(other.value or -1, mention.value):
                return True
            continue
        if other.kind != "quantity" or other.value is None:
            continue
        if _quantity_matches(mention, other):
            return True
    return False


def _quantity_matches(mention: Mention, other: Mention) -> bool:
    # Ordinals and approximations ("une dizaine") carry their number as value.
    mine = mention.number if mention.number is not None else mention.value
    theirs = other.number if other.number is not None else other.value
    same_number = mine is not None and theirs is not None and _close(mine, theirs)
    unit = mention.unit
    if unit is None:
        return same_number  # a bare number: any use of it in the note
    if unit.startswith("N:") or unit == "ORD":
        if not same_number:
            return False
        if other.unit is None or other.unit == unit:
            return True
        # "deux jeunes enfants" / "deux enfants": the counted word may come later.
        noun = unit[2:]
        other_noun = (other.unit or "")[2:]
        if other_noun and noun[:3] == other_noun[:3]:
            return True  # "2 enfts" / "deux enfants", "enfant" / "enfants"
        return noun in other.context or other_noun in mention.context
    # Durations, amounts, percentages: same converted value and unit…
    if other.unit == unit and _close(other.value, mention.value):
        return True
    # "quinze jours" is how French says two weeks.
    if unit == other.unit == "DAY" and {round(mention.value), round(other.value)} == {14, 15}:
        return True
    # …or a bare number of the note that shares the unit of its neighbour
    # ("6 et 8 ans" vouches for "6 ans").
    return other.unit is None and same_number
