"""Text the recognizers read instead of the note, when the note's form hides its words.

Two kinds of notes defeat rules built on letter case and digits:

* scanned letters read by OCR, where a zero and a capital O, a one and a small L
  swap places ("31O00 T0ULOUSE", "Tel : O5 61 22 7O 14");
* notes typed all in capitals, where every word looks like a proper noun.

``normalised()`` returns a copy of the note *of exactly the same length*, character
for character, with those forms undone: the recognizers run on it and their spans
fall on the same offsets in the original, which is what gets masked and shown.
Anything that would change a length is left as it is.
"""

from __future__ import annotations

import re

from assistant.deid.lexicon import (
    FrenchLexicon,
    communes,
    fold,
    given_names,
    keep_words,
    surnames,
)
from assistant.deid.text import TITLES

_TOKEN = re.compile(r"[^\W_]+")
# "NlCE", "VlLLE", "PAUl": a small l read for a capital I.
_L_IN_CAPITALS = re.compile(r"[A-ZÀ-Þ]{2}l|l[A-ZÀ-Þ]{2}|[A-ZÀ-Þ]l[A-ZÀ-Þ]")
_LETTERS = re.compile(r"[^\W\d_]+")
# OCR reads 0 as O (and o), 1 as l (and I).
_AS_DIGIT = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1"})


def normalised(text: str, lexicon: FrenchLexicon | None) -> str:
    """The note with OCR digit/letter swaps and all-capitals undone, same length."""
    # (Only notes with digits, or with a small l among capitals, can hold an OCR swap.)
    ocr = any(c.isdigit() for c in text) or _L_IN_CAPITALS.search(text)
    out = _ocr(text, lexicon) if ocr else text
    if _mostly_capitals(out):
        out = _recase(out, lexicon)
    # Offsets are the contract: a copy of another length is never used.
    return out if len(out) == len(text) else text


def _ocr(text: str, lexicon: FrenchLexicon | None = None) -> str:
    def known(word: str) -> bool:
        folded = fold(word)
        return (
            (lexicon is not None and word.casefold() in lexicon)
            or folded in keep_words()
            or folded in communes()
        )

    def fix(m: re.Match[str]) -> str:
        token = m.group()
        digits = sum(c.isdigit() for c in token)
        others = [c for c in token if not c.isdigit()]
        # "31O00", "O5", "7O", "l4", "3l", "6OOOO": a number with look-alike letters.
        if (
            digits
            and others
            and all(c in "OolI" for c in others)
            and (digits >= 2 or len(token) <= 3 or all(c == "O" for c in others))
        ):
            return token.translate(_AS_DIGIT)
        # "T0ULOUSE", "BENHAM0U", "T0ulouse": a word with zeros for O.
        if set(c for c in token if c.isdigit()) == {"0"} and len(others) >= 3:
            upper = sum(c.isupper() for c in others) > len(others) / 2
            # ("0ran": a zero opening a word is its capital.)
            head = "O" if token[0] == "0" else token[0]
            return head + token[1:].replace("0", "O" if upper else "o")
        # "Montreui1", "a11ocataire", "Té1", "NlCE": ones read for l or I, and a small
        # l inside capitals, when that gives a known word ("CM1" stays).
        acronym = token[-1].isdigit() and all(c.isupper() for c in others) and len(others) <= 4
        if (
            len(others) >= 2
            and not acronym
            and digits
            and set(c for c in token if c.isdigit()) <= {"0", "1"}
        ):
            upper = sum(c.isupper() for c in others) > len(others) / 2
            word = token.replace("1", "I" if upper else "l").replace("0", "O" if upper else "o")
            if known(word):
                return word
        if (
            not digits
            and "l" in token
            and len(token) >= 3
            and sum(c.isupper() for c in token) >= len(token) - 1
        ):
            word = token.replace("l", "I")
            if word != token and known(word):
                return word
        return token

    return _TOKEN.sub(fix, text)


def _mostly_capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 40 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


# After these, the words up to the next punctuation are a name even when they are
# French words: "RESIDENCE LES OLIVIERS", "FOYER LE PHARE".
_NAMED_AFTER = frozenset(
    [
        "residence",
        "cite",
        "foyer",
        "hopital",
        "clinique",
        "ehpad",
        "ecole",
        "college",
        "lycee",
        "ime",
        "esat",
        "mecs",
        "chrs",
        "hotel",
        "lotissement",
        "quartier",
        "impasse",
        "allee",
        "chemin",
        "rue",
        "avenue",
        "boulevard",
        "place",
    ]
)
_ARTICLES = frozenset(["le", "la", "les", "l"])
# "RÉDACTRICE : AMÉLIE FONTAINE-DIALLO", "RÉFÉRENTE RSA : S. MARTINEZ": after a writer's
# label and its colon, the words up to the next punctuation are a name.
_WRITER_LABELS = frozenset(["redactrice", "redacteur", "referente", "referent", "signataire"])
_LABEL_COLON = re.compile(r"[ \t]*(?:[A-Z]{2,6}[ \t]*)?:")


def _recase(text: str, lexicon: FrenchLexicon | None) -> str:
    """ "NAÏM (9 ANS) ET SITTI": French words go to lower case, listed words (acronyms)
    stay as they are, anything else reads as a proper noun ("Naïm", "Sitti"). After the
    kind of a place its name keeps capitals ("residence les Oliviers"), and an article
    before a proper noun keeps its own ("la" + "TIMONE" -> "La Timone")."""
    keep = keep_words()
    given = given_names()
    matches = list(_LETTERS.finditer(text))
    kinds: list[str] = []  # "keep", "lower", "title"
    named = False
    for k, m in enumerate(matches):
        word = m.group()
        folded = fold(word)
        # "MME NADINE CORBEAU": after a title and a first name, a registered surname is
        # the surname even when it is a word ("MME NADINE EXPLIQUE" is not).
        surname_after = (
            k >= 2
            and fold(matches[k - 2].group()) in TITLES
            and fold(matches[k - 1].group()) in given
            and text[matches[k - 1].end() : m.start()] == " "
            and folded in surnames()
        )
        if not word.isupper() or (folded in keep and not surname_after):
            kinds.append("keep")
        elif len(word) == 1:
            # "L'ENFANT" -> "l'enfant"; "J. DUPONT" keeps its initial.
            kinds.append("keep" if text[m.end() : m.end() + 1] == "." else "lower")
        elif (
            named and folded not in _ARTICLES and folded not in ("de", "du", "des")
        ) or surname_after:
            kinds.append("title")
        elif lexicon is not None and word.casefold() in lexicon:
            kinds.append("lower")
        else:
            kinds.append("title")
        gap_after = text[m.end() : m.end() + 1]
        if (
            folded in _NAMED_AFTER
            or (folded in _WRITER_LABELS and _LABEL_COLON.match(text, m.end()))
            # ("CENTRE SOCIAL LE BELVÉDÈRE")
            or (folded == "social" and k > 0 and fold(matches[k - 1].group()) == "centre")
        ):
            named = True
        elif len(word) == 1 and gap_after == "." and named:
            pass  # "S. MARTINEZ": an initial's full stop is part of the name
        elif gap_after and gap_after not in " '’-":
            named = False  # a comma, a full stop, a line break ends the name
    for k in range(len(matches) - 1):
        if (
            kinds[k] == "lower"
            and fold(matches[k].group()) in _ARTICLES
            and kinds[k + 1] == "title"
            and text[matches[k].end() : matches[k + 1].start()] in (" ", "'", "’")
        ):
            kinds[k] = "title"
    out = list(text)
    for m, kind in zip(matches, kinds, strict=True):
        word = m.group()
        if kind == "keep":
            continue
        new = word.lower() if kind == "lower" else word[0] + word[1:].lower()
        if len(new) == len(word):
            out[m.start() : m.end()] = new
    return "".join(out)
