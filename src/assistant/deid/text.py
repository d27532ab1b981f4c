"""Word-level view of a note shared by the French recognizers.

Recognizers of names, places and organisations all need the same facts about
each word (capitalised? at a sentence start? a common French word? a known
first name? inside a spaCy entity?). They are computed once per text and
cached on Presidio's NlpArtifacts, so adding a recognizer costs no re-scan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.deid.lexicon import (
    FrenchLexicon,
    cities,
    communes,
    countries,
    country_phrases,
    first_names,
    fold,
    keep_words,
    registry_first_names,
    surnames,
)

# A word: letters, then letters/digits/apostrophes/hyphens ("N'Diaye", "Jean-Marc").
WORD_RE = re.compile(r"(?<![\w])[^\W\d_](?:[\w'’]|-(?=[^\W\d_]))*")
# French elisions glued to the next word: l'enfant, d'Amina, qu'Ilyes.
ELISION_RE = re.compile(r"^((?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu)['’])(.+)$", re.IGNORECASE)

TITLES = {
    "m",
    "mr",
    "mme",
    "mmes",
    "mlle",
    "mlles",
    "madame",
    "monsieur",
    "mademoiselle",
    "messieurs",
    "dr",
    "docteur",
    "docteure",
    "me",
    "maitre",
    "pr",
    "professeur",
    "melle",
    "mle",
    # Ranks, as gendarmes and soldiers are named in notes ("adjudant morel").
    "adjudant",
    "adjudante",
    "brigadier",
    "brigadiere",
    "lieutenant",
    "lieutenante",
    "capitaine",
    "commandant",
    "commandante",
    "sergent",
    "gendarme",
}
# Lower-case name particles allowed inside a name: "Mme de La Fontaine", "M. van den Berg".
PARTICLES = {
    "de",
    "du",
    "des",
    "d'",
    "la",
    "le",
    "van",
    "von",
    "den",
    "der",
    "da",
    "di",
    "dos",
    "do",
    "das",
    "del",
    "della",
    "el",
    "al",
    "ben",
    "bin",
    "ould",
    "ter",
    "ten",
    "y",
    # "mme n'diaye", "M. m'bala": typed apart or in lower case, the elided particle.
    "n'",
    "m'",
}
# Words after which the next word is someone's name: "son fils Yanis", "prénommée Leïla".
ROLE_WORDS = {
    "fils",
    "fille",
    "filles",
    "enfant",
    "enfants",
    "bebe",
    "mere",
    "pere",
    "frere",
    "soeur",
    "mari",
    "epoux",
    "epouse",
    "femme",
    "compagnon",
    "compagne",
    "conjoint",
    "conjointe",
    "concubin",
    "concubine",
    "ami",
    "amie",
    "copain",
    "copine",
    "voisin",
    "voisine",
    "oncle",
    "tante",
    "neveu",
    "niece",
    "cousin",
    "cousine",
    "grand-mere",
    "grand-pere",
    "belle-mere",
    "beau-pere",
    "demi-frere",
    "demi-soeur",
    "ex",
    "petit-fils",
    "petite-fille",
    "aine",
    "ainee",
    "cadet",
    "cadette",
    "prenomme",
    "prenommee",
    "denomme",
    "denommee",
    "nomme",
    "nommee",
    "appelle",
    "surnomme",
    "surnommee",
    "jeune",
    "mineur",
    "mineure",
    "majeur",
    "majeure",
    "eleve",
    "patient",
    "patiente",
    "usager",
    "usagere",
    "beneficiaire",
    "famille",
    "couple",
    "fratrie",
    # A pet's name points to its owner as surely as a nickname ("son chien Filou").
    # Family names children and grandparents use ("mamie Rosette", "tonton Serge").
    "papa",
    "maman",
    "mamie",
    "mamy",
    "papi",
    "papy",
    "meme",
    "pepe",
    "tata",
    "tatie",
    "tonton",
    # (Réunion and Antilles: "Gramoune Lucette", "granmoun".)
    "gramoune",
    "granmoun",
    "mami",
    "marraine",
    "parrain",
    "nounou",
    "belle-soeur",
    "beau-frere",
    "chien",
    "chienne",
    "chat",
    "chatte",
    "avec",
    "chez",
    "et",
}
PLACE_PREPOSITIONS = {
    "a",
    "en",
    "sur",
    "vers",
    "de",
    "d'",
    "du",
    "pres",
    "depuis",
    "quitter",
    "quitte",
}
# Strong cues that the next capitalised words are a town: "née à Oran", "domiciliée à Sevran".
PLACE_CUES = re.compile(
    # "né Oran", but "ne" without its accent only before a preposition ("NE PAS LA…").
    # (Whole words on the same line: "Thionville⏎Contrat" has no cue.)
    r"(?<![\w'’])(?:\bnée?s?|\bne(?:e|s|es)?(?=\s+(?:[àa]|en|au|aux|dans|de|du|d['’])(?!\w))"
    r"|\bnaissance|originaires?|domicili[ée]e?s?|r[ée]sid(?:e|ant|ent)|habit(?:e|ent|ant|ait)|"
    r"vi(?:t|vent|vait)|h[ée]berg[ée]e?s?|install[ée]e?s?|d[ée]m[ée]nag[ée]e?s?|commune|ville|village|secteur|"
    r"quartier|qpv|arriv[ée]e?s?|venant|venue?s?|partie?s?|retourn[ée]e?s?|s[ée]jour|d[ée]c[ée]d[ée]e?s?)"
    r"[ \t\u00a0]+(?:[àa]|de|d['’]|du|en|sur|au|aux|dans)?[ \t\u00a0]*\Z",
    re.IGNORECASE,
)
# "né le 18/02/1961 à Porto": the birth cue may be a few words before the "à".
# A comma only right before the "à" ("née le 3 mars 1990, à Oran"): "né à Tbilissi
# (Géorgie), hospitalisé en SPDT" is another clause.
BIRTH_PLACE_CUE = re.compile(r"\bn[ée]e?s?\b[^.\n;(),]{0,40}?,?\s(?:[àa]|en)\s*$", re.IGNORECASE)
SENTENCE_END = set(".!?…\n:;")
# Words that introduce a nickname: « Thomas dit "Titou" », « tout le monde l'appelle Bibi ».
NICKNAME_CUE = (
    r"dite?s?|alias|surnomm[ée]e?s?|pseudo|aka|appel(?:le|lent|ait|aient)|"
    r"se\s+fai(?:t|sait|re)\s+(?:appeler|surnommer)|"
    r"connue?s? sous le (?:nom|surnom|pseudo) de"
)


@dataclass
class Word:
    start: int
    end: int
    text: str
    folded: str
    shape: str  # "cap", "upper", "lower", "initial", "other"
    sent_start: bool
    keep: bool
    first_name: bool
    common: bool
    city: bool
    unseen: bool = False  # capitalised, not a French word, never seen in lower case
    stop: bool = False
    ent: str = ""  # spaCy label covering the word (PER, LOC, ORG, MISC) or ""
    title: bool = False
    # Gazetteers from public registers (deid/data, scripts/build_gazetteers.py): evidence,
    # never proof on their own, since they hold words too ("Bonnes", "Rose", "Petit").
    commune: int = 0  # population of the commune of that name (at least 1), 0 if none
    surname: bool = False
    registry_first: bool = False


@dataclass
class TextView:
    text: str
    words: list[Word] = field(default_factory=list)

    def gap(self, i: int, j: int) -> str:
        """Characters between word i and word j (i < j)."""
        return self.text[self.words[i].end : self.words[j].start]


def _shape(token: str, text: str, end: int) -> str:
    letters = [c for c in token if c.isalpha()]
    if len(token) == 1 and token[0].isupper() and end < len(text) and text[end] == ".":
        return "initial"
    if token[0].isupper():
        if len(letters) >= 2 and all(c.isupper() for c in letters):
            return "upper"
        return "cap"
    if token[0].islower():
        return "lower"
    return "other"


# Words inside an e-mail or a link are not names of their own: the e-mail recognizer
# masks the whole address.
_OPAQUE_RE = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+|(?:https?://|www\.)\S+")


def _split_tokens(text: str, lexicon: FrenchLexicon | None = None) -> list[tuple[int, int, str]]:
    tokens: list[tuple[int, int, str]] = []
    opaque = (
        [(m.start(), m.end()) for m in _OPAQUE_RE.finditer(text)]
        if "@" in text or "www" in text or "http" in text
        else []
    )
    for match in WORD_RE.finditer(text):
        start, token = match.start(), match.group()
        if opaque and any(a <= start < b for a, b in opaque):
            continue
        token = token.rstrip("'’")
        elision = ELISION_RE.match(token)
        if elision:
            prefix, rest = elision.groups()
            # "N'Diaye", "D'Souza": an upper-case N'/D' glued to a capital is a name
            # ("L'AEMO" is an article and an acronym).
            # ("MESURE D'AEMO" in a heading: an acronym we keep is no name either, nor
            # a French word: "MESURE JUDICIAIRE D'INVESTIGATION".)
            if not (
                prefix[0] in "ND"
                and rest[0].isupper()
                and fold(rest) not in keep_words()
                and not (rest.isupper() and lexicon is not None and rest in lexicon)
            ):
                tokens.append((start, start + len(prefix), prefix))
                start += len(prefix)
                token = rest
        tokens.append((start, start + len(token), token))
    return tokens


def build_view(text: str, lexicon: FrenchLexicon, spacy_entities: list | None = None) -> TextView:
    keep = keep_words()
    country_parts = countries()[1]
    names = first_names()
    towns = cities()
    all_communes = communes()
    all_surnames = surnames()
    registry = registry_first_names()
    labels: dict[int, str] = {}
    for ent in spacy_entities or ():
        for idx in range(ent.start_char, ent.end_char):
            labels[idx] = ent.label_
    view = TextView(text)
    previous: Word | None = None
    for start, end, token in _split_tokens(text, lexicon):
        shape = _shape(token, text, end)
        folded = fold(token)
        bare = folded.rstrip(".")
        # Sentence start: nothing but spaces/bullets since a line break or an end mark,
        # except the dot of a title or an initial ("M. Diallo" is mid-sentence).
        k = start - 1
        while k >= 0 and text[k] in " \t\u00a0-–—•*>«»\"'(":
            k -= 1
        sent_start = k < 0 or text[k] in SENTENCE_END
        if (
            sent_start
            and k >= 0
            and text[k] == "."
            and previous is not None
            and (previous.title or previous.shape == "initial")
        ):
            sent_start = False
        parts = [p for p in folded.split("-") if p]
        common = (
            token.casefold() in lexicon
            or (
                len(parts) > 1
                and all(p[:1].islower() for p in token.split("-")[1:])
                and all(p in lexicon for p in parts)
            )
            if len(token) > 1
            else True
        )
        word = Word(
            start=start,
            end=end,
            text=token,
            folded=folded,
            shape=shape,
            sent_start=sent_start,
            keep=folded in keep
            or (len(parts) > 1 and all(p in keep for p in parts))
            # "SI-SIAO", "RSA-CAF": acronyms joined, one of them listed.
            or (
                len(parts) > 1
                and token.isupper()
                and any(p in keep for p in parts)
                and all(p in keep or len(p) <= 2 for p in parts)
            )
            or (folded in country_parts and not common),
            first_name=folded in names or (len(parts) > 1 and all(p in names for p in parts)),
            # "Rendez-vous", "Grand-mère" are common words; "Saint-Denis" (capital parts) is not.
            common=common,
            city=folded in towns,
            ent=labels.get(start, ""),
        )
        # Lower-case titles count too ("vu mme rodriguez"), except "me" (a pronoun).
        word.stop = folded in lexicon.stop_words
        if shape == "cap" and not word.common and not word.keep:
            word.unseen = not lexicon.seen_lowercase(token)
        word.title = bare in TITLES
        word.commune = all_communes.get(folded, 0)
        word.surname = folded in all_surnames
        word.registry_first = folded in registry or (
            len(parts) > 1 and all(p in registry for p in parts)
        )
        # "M." is a title, but not without its dot, nor in hyphenated initials ("M.-A.
        # Roussel", "C.-M. Jean-Louis").
        if bare == "m" and (
            not (end < len(text) and text[end] == ".")
            or text[end + 1 : end + 2] == "-"
            or text[max(0, start - 2) : start] == ".-"
        ):
            word.title = False
        if bare == "me" and shape != "cap":
            word.title = False
        view.words.append(word)
        previous = word
    _keep_country_phrases(view)
    return view


def _keep_country_phrases(view: TextView) -> None:
    """ "Viêt Nam", "Costa Rica", "Sierra Leone": words that together name a country
    are kept, though "Nam" alone is a first name and "Costa" a surname."""
    phrases = country_phrases()
    longest = max((len(p) for p in phrases), default=0)
    firsts = {p[0] for p in phrases}
    words = view.words
    for i in range(len(words)):
        if words[i].shape not in ("cap", "upper") or words[i].folded not in firsts:
            continue
        for size in range(min(longest, len(words) - i), 1, -1):
            span = words[i : i + size]
            if tuple(w.folded for w in span) in phrases and all(
                view.gap(i + k, i + k + 1).strip(" -\u00a0'’") == ""
                and "\n" not in view.gap(i + k, i + k + 1)
                for k in range(size - 1)
            ):
                for w in span:
                    w.keep = True
                break


def get_view(text: str, nlp_artifacts: object | None, lexicon: FrenchLexicon) -> TextView:
    """The cached view of ``text``; built once per analysis."""
    cached = getattr(nlp_artifacts, "_fr_view", None) if nlp_artifacts is not None else None
    if cached is not None and cached.text == text:
        return cached
    entities = getattr(nlp_artifacts, "entities", None) if nlp_artifacts is not None else None
    view = build_view(text, lexicon, entities)
    if nlp_artifacts is not None:
        nlp_artifacts._fr_view = view  # type: ignore[attr-defined]
    return view


def left_context(text: str, start: int, width: int = 40) -> str:
    return fold(text[max(0, start - width) : start])
