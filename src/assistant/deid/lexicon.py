"""Word lists the French recognizers lean on, and accent/case folding.

The lists live in ``deid/data/*.txt`` so a practitioner-facing team can extend
them without touching code. Everything is compared *folded* (case- and
accent-insensitive) because notes are typed fast: "Helene", "HÉLÈNE" and
"hélène" are the same name.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources
from itertools import chain


def fold(text: str) -> str:
    """Lower-case and strip accents; may change the length (use fold_with_offsets to map back)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    # "sœur" is "soeur" typed on a keyboard without the ligature; NFKD keeps "œ".
    return (
        "".join(c for c in decomposed if not unicodedata.combining(c))
        .replace("’", "'")
        .replace("œ", "oe")
        .replace("æ", "ae")
    )


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """Fold ``text`` character by character, keeping for each folded char its source index.

    Needed to search roster names accent-insensitively and still report offsets
    in the original text.
    """
    out: list[str] = []
    index: list[int] = []
    for i, char in enumerate(text):
        # ASCII needs no decomposition ("’" is not ASCII and goes through fold()).
        folded = char.lower() if char.isascii() else fold(char)
        out.append(folded)
        index.extend([i] * len(folded))
    index.append(len(text))
    return "".join(out), index


def _read_words(name: str) -> frozenset[str]:
    raw = resources.files("assistant.deid").joinpath("data", name).read_text(encoding="utf-8")
    words: set[str] = set()
    for line in raw.splitlines():
        line = line.split("#", 1)[0]
        for word in line.split():
            words.add(fold(word))
    return frozenset(words)


@cache
def first_names() -> frozenset[str]:
    names = set(_read_words("prenoms.txt"))
    # Parts of hyphenated first names are first names too (Jean-Pierre -> jean, pierre).
    for name in list(names):
        names.update(p for p in name.split("-") if len(p) > 2)
    return frozenset(names)


@cache
def given_names() -> frozenset[str]:
    """First names from both lists: the curated one and the register's."""
    return first_names() | registry_first_names()


@cache
def keep_words() -> frozenset[str]:
    """Words never masked as a name or a place: the curated ``conserver.txt``, the
    one-word foreign countries ("érythrée", "pays-bas") and French départements and
    régions ("finistère")."""
    return _read_words("conserver.txt") | countries()[0] | wide_territories()


@cache
def region_words() -> frozenset[str]:
    """Points of the compass and regions older or narrower than the INSEE list
    ("Alsace", "Sundgau"), as services and firms put them in their names."""
    return _read_words("regions.txt")


@cache
def wide_territories() -> frozenset[str]:
    """Départements and régions written as one word ("Finistère", "Haute-Corse",
    "Guadeloupe"): too wide to locate a person, like a country. Those that are also a
    sizeable town ("Paris", "Vienne") or a first name are left to the other rules."""
    given = given_names()
    towns = communes()
    return frozenset(
        t for t in territories() if " " not in t and t not in given and towns.get(t, 0) < 1000
    )


# English words of longer country names that also name hotels, firms or streets
# ("City Hotel", "Western Union"): not kept on their own.
_GENERIC_COUNTRY_WORDS = frozenset(
    [
        "south",
        "north",
        "northern",
        "southern",
        "western",
        "eastern",
        "central",
        "city",
        "states",
        "united",
        "republic",
        "islands",
        "island",
        "kingdom",
        "american",
        "african",
        "indian",
        "ocean",
        "outlying",
        "territory",
        "territories",
        "minor",
        "cape",
        "british",
        "caribbean",
    ]
)


@cache
def countries() -> tuple[frozenset[str], frozenset[str]]:
    """Foreign countries (CLDR, in French and English): whole one-word names, and the
    words of the longer ones ("lanka", "corée"), which the view keeps only when they are
    not French words ("centrale", "vierges").

    A country of origin is a fact a summary needs. A name that is also a first name
    ("Maurice", "Dominique"), or a town big enough to be one ("Grenade"), is left to the
    other rules; so is a part that is a surname ("Costa Rica", "Sierra Leone")."""
    given = given_names()
    towns = communes()
    whole: set[str] = set()
    parts: set[str] = set()
    for name in _read_counts("pays.txt"):
        words = [w for w in re.split(r"[\s']+", name) if w]
        if len(words) == 1:
            if name not in given and towns.get(name, 0) < 500:
                whole.add(name)
            continue
        parts.update(
            w
            for w in words
            if len(w) > 3
            and w not in given
            and w not in surnames()
            and w not in towns
            and w not in _GENERIC_COUNTRY_WORDS
        )
    return frozenset(whole), frozenset(parts)


@cache
def country_phrases() -> frozenset[tuple[str, ...]]:
    """Country names of several words, folded, as word tuples: ("viet", "nam"),
    ("sri", "lanka"), ("costa", "rica"). Written together they are the country, even
    when a word alone is a name or too short to keep."""
    phrases = set()
    for name in _read_counts("pays.txt"):
        words = tuple(w for w in re.split(r"[\s'\-]+", name) if w)
        if len(words) > 1:
            phrases.add(words)
    return frozenset(phrases)


def _read_counts(name: str) -> dict[str, int]:
    """A generated gazetteer: folded name, a tab, a count (see scripts/build_gazetteers.py)."""
    raw = resources.files("assistant.deid").joinpath("data", name).read_text(encoding="utf-8")
    counts: dict[str, int] = {}
    for line in raw.splitlines():
        if not line or line.startswith("#"):
            continue
        word, _, count = line.partition("\t")
        counts[word] = int(count or 0)
    return counts


_ARTICLE = re.compile(r"^(?:le |la |les |l'|aux |las |los )")


@cache
def communes() -> dict[str, int]:
    """Every French commune (INSEE), keyed by its folded name without its article, with
    its population: "saint-jean-de-braye", "courneuve" (La Courneuve), "havre".

    Overseas communes have no population in the register; they count as 1, so that
    "is a commune" stays a plain truth test."""
    out: dict[str, int] = {}
    for name, population in _read_counts("communes.txt").items():
        bare = _ARTICLE.sub("", name)
        if " " not in bare:  # "paris 10e arrondissement": the district recognizer's job
            out[bare] = max(out.get(bare, 1), population)
    # Towns go by the head of their name: "Sarlat" (Sarlat-la-Canéda), "Font-Romeu"
    # (Font-Romeu-Odeillo-Via), "Charleville". Only for towns of some size, never a
    # link word, a first name ("Marie-Galante") or a saint's ("Saint-Martin-…").
    given = given_names()
    short: dict[str, int] = {}
    for bare, population in out.items():
        parts = bare.split("-")
        if population < 5000 or len(parts) < 2:
            continue
        for k in range(1, len(parts)):
            head = "-".join(parts[:k])
            if (
                parts[k - 1] in _NAME_LINKS
                or parts[0] in ("saint", "sainte", "st", "ste")
                or len(head) < 4
                or head in out
                or head in given
            ):
                continue
            short[head] = max(short.get(head, 1), population)
    return {**short, **out}


_NAME_LINKS = frozenset(
    ["de", "du", "des", "la", "le", "les", "l'", "d'", "sur", "sous", "en", "et", "aux", "au"]
)


@cache
def masculine_communes() -> frozenset[str]:
    """Communes named with "Le" or "Les" ("tampon" for Le Tampon, "abymes" for Les
    Abymes): after "au"/"aux" ("au Tampon", "aux Abymes") the word is the town."""
    return frozenset(
        _ARTICLE.sub("", name)
        for name in _read_counts("communes.txt")
        if name.startswith(("le ", "les ")) and " " not in _ARTICLE.sub("", name)
    )


@cache
def article_communes() -> frozenset[str]:
    """Communes whose article is part of the name, folded whole: "le tampon",
    "la rochelle", "l'isle-adam" (a town masked as "Tampon" takes its "Le")."""
    return frozenset(
        name
        for name in _read_counts("communes.txt")
        if name.startswith(("le ", "la ", "les ", "l'"))
    )


@cache
def territories() -> frozenset[str]:
    """Départements and régions: places too wide to locate a person ("à Mayotte")."""
    return frozenset(_read_counts("territoires.txt"))


@cache
def surnames() -> frozenset[str]:
    """Surnames borne by at least two people in France's register of elected officials."""
    return frozenset(_read_counts("noms_famille.txt"))


@cache
def registry_first_names() -> frozenset[str]:
    """First names borne by at least two elected officials: wider than ``prenoms.txt``
    (which is curated) and French-leaning; it holds words too ("rose", "claire")."""
    names = set(_read_counts("prenoms_registre.txt"))
    for name in list(names):
        names.update(p for p in name.split("-") if len(p) > 2)
    return frozenset(names)


_CITY_LINKS = {"le", "la", "les", "de", "du", "des", "sur", "sous", "en", "d'", "l'", "aux"}


@cache
def cities() -> frozenset[str]:
    # Multi-word names ("le havre") are split; their articles are not cities on their own.
    return frozenset(w for w in _read_words("villes.txt") if w not in _CITY_LINKS)


class FrenchLexicon:
    """Common French words (any inflection), from the spaCy model's lemmatizer tables.

    A capitalised word that is *not* a common word is almost always a proper
    noun; one that is ("Petit", "Boucher", "Rose") needs more evidence. The
    tables ship inside fr_core_news_md, so nothing extra is downloaded.
    """

    def __init__(self, nlp: object | None) -> None:
        self._forms: frozenset[str] = frozenset()
        self._table = None
        self._vectors = None
        self.stop_words: frozenset[str] = frozenset()
        if nlp is None:
            return
        self._vectors = getattr(getattr(nlp, "vocab", None), "vectors", None)
        from spacy.strings import get_string_id

        self._string_id = get_string_id  # hashes without adding to the StringStore
        self.stop_words = frozenset(
            fold(w) for w in getattr(getattr(nlp, "Defaults", None), "stop_words", ())
        )
        try:
            lemmatizer = nlp.get_pipe("lemmatizer")  # type: ignore[attr-defined]
            table = lemmatizer.lookups.get_table("lemma_lookup")
        except (KeyError, ValueError, AttributeError):
            return
        forms: set[str] = set(chain.from_iterable(table.values()))
        # Folding 200k strings costs; only non-ASCII ones change when folded.
        forms.update([fold(v) for v in forms if not v.isascii()])
        index = lemmatizer.lookups.get_table("lemma_index")
        for values in index.values():
            forms.update(fold(v) for v in values)
        # Invariable words ("mois", "pays", "temps", "bras") are neither inflections nor
        # indexed lemmas: they live only in the per-POS exception tables.
        try:
            exceptions = lemmatizer.lookups.get_table("lemma_exc")
        except KeyError:
            exceptions = {}
        # Only those (form = lemma, ending in s/x/z): the tables also hold odd entries
        # ("lan", "thomas") that are names far more often than words.
        names = first_names()
        for per_pos in exceptions.values():
            for form, lemmas in per_pos.items():
                folded = fold(form)
                if folded[-1:] in ("s", "x", "z") and lemmas == [form] and folded not in names:
                    forms.add(folded)
        # Function words (le, sa, vous…) are absent from the lemma tables.
        forms.update(self.stop_words)
        self._forms = frozenset(forms)
        self._table = table

    def __contains__(self, word: str) -> bool:
        low = word.casefold()
        if fold(low) in self._forms:
            return True
        # Inflected forms are only stored as hashed keys of the lookup table.
        return self._table is not None and low in self._table

    def is_lemma(self, word: str) -> bool:
        """True if the word is a dictionary form or a listed inflection ("pierre", "olive").

        Stricter than ``in``: the hashed inflection table also holds odd entries
        ("morgane"), which is fine for recall but not to decide that a name is a word.
        """
        return fold(word) in self._forms

    def seen_lowercase(self, word: str) -> bool:
        """True if the model's word vectors know the lower-case form ("avis", "karim").

        Names nobody writes in lower case ("anaëlle", "benabdallah") are unknown: a
        capitalised word at a sentence start that is neither a French word nor ever
        seen in lower case is a name (or a place) far more often than not.
        """
        if self._vectors is None:
            return True
        return self._string_id(word.casefold()) in self._vectors
