"""French Presidio recognizers, one per identifier type.

Scores mean something and are comparable across recognizers:

* 0.95-1.0  checksum verified (NIR key, IBAN mod 97) or unambiguous form (e-mail);
* 0.8-0.9   strong form plus a French context word ("né le", "n° CAF", "Mme");
* 0.6-0.75  the form alone (a capitalised unknown word mid-sentence, a phone shape);
* 0.4-0.55  weak evidence that is still masked because a leak costs more than a
            masked word (an invalid NIR key: a mistyped NIR is still a NIR).

Every recognizer works on the raw text with regular expressions and the shared
word view (``text.py``); only the name, place and organisation recognizers also
read spaCy's entities. Nothing here downloads anything.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from itertools import pairwise

from presidio_analyzer import EntityRecognizer, RecognizerResult
from stdnum import iban as std_iban
from stdnum.fr import nir as std_nir

from assistant.deid.lexicon import (
    FrenchLexicon,
    article_communes,
    cities,
    communes,
    countries,
    first_names,
    fold,
    keep_words,
    masculine_communes,
    region_words,
    registry_first_names,
    territories,
    wide_territories,
)
from assistant.deid.text import (
    BIRTH_PLACE_CUE,
    NICKNAME_CUE,
    PARTICLES,
    PLACE_CUES,
    PLACE_PREPOSITIONS,
    ROLE_WORDS,
    TITLES,
    TextView,
    Word,
    get_view,
    left_context,
)

Span = tuple[int, int, float]
_TITLES_FOLDED = frozenset(TITLES)


# Legal references are facts a report needs, never identifiers: "article L. 222-5 du
# CASF", "art. 375-2 du Code civil", "articles R. 1111-2". The engine drops any span
# found inside one, whichever recognizer (or spaCy) found it.
LEGAL_REFERENCE = re.compile(
    # ("larticle 24": an OCR or a hurried hand drops the apostrophe.)
    r"(?<!\w)(?:l['’]?|d['’]?)?(?:articles?|art\.)\s+(?:[LRDA]\.?\s?)?\d+(?:[\-‑.]\d+)*"
    r"(?:\s*(?:,|et|à)\s*(?:[LRDA]\.?\s?)?\d+(?:[\-‑.]\d+)*)*"
    # "loi du 5 mars 2007", "loi n° 2016-297 du 14 mars 2016", "décret du 30 avril 2002":
    # a text of law is named by its date, which dates no one's life.
    r"|(?<!\w)(?:loi|d[ée]cret|circulaire)(?:\s+(?:organique\s+)?n°\s?[\d\-]+)?"
    r"\s+du\s+(?:1er|\d{1,2})(?:\s+\w+|[/.]\d{1,2}[/.])\s*(?:19|20)\d{2}"
    # "loi n° 89-462", "décret n° 2016-1785": a numbered text.
    # ("loi 89-462": the "n°" may be left out.)
    r"|(?<!\w)(?:loi|d[ée]cret|ordonnance|circulaire)(?:\s+organique)?\s+(?:n°\s?)?\d{2,4}-\d{1,5}",
    re.IGNORECASE,
)


def legal_references(text: str) -> list[tuple[int, int]]:
    folded = text.casefold()
    if not any(cue in folded for cue in ("art", "loi", "cret", "ordonnance", "circulaire")):
        return []
    return [(m.start(), m.end()) for m in LEGAL_REFERENCE.finditer(text)]


class FrenchRecognizer(EntityRecognizer):
    """Base: one entity type, French, results carry the recognizer's name."""

    ENTITY = ""

    def __init__(self, lexicon: FrenchLexicon | None = None) -> None:
        self.lexicon = lexicon or FrenchLexicon(None)
        super().__init__(
            supported_entities=[self.ENTITY],
            name=type(self).__name__,
            supported_language="fr",
        )

    def load(self) -> None:  # nothing to load: patterns are compiled at import
        pass

    def spans(self, text: str, nlp_artifacts: object | None) -> Iterable[Span]:
        raise NotImplementedError

    def analyze(
        self, text: str, entities: list[str] | None = None, nlp_artifacts: object | None = None
    ) -> list[RecognizerResult]:
        if entities and self.ENTITY not in entities:
            return []
        results = []
        for start, end, score in self.spans(text, nlp_artifacts):
            if end <= start:
                continue
            results.append(
                RecognizerResult(
                    entity_type=self.ENTITY,
                    start=start,
                    end=end,
                    score=score,
                    recognition_metadata={
                        RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                    },
                )
            )
        return results


def _has_context(text: str, start: int, pattern: re.Pattern[str], width: int = 40) -> bool:
    return bool(pattern.search(left_context(text, start, width)))


# --------------------------------------------------------------------------- e-mail, phone


class FrEmailRecognizer(FrenchRecognizer):
    ENTITY = "EMAIL"
    PATTERN = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+", re.UNICODE)
    # Written to dodge spam filters: "toto(at)gmail.com", "toto arobase gmail point com".
    # "at" counts only as a whole word or in brackets: "matin. Elle" is not an address.
    OBFUSCATED = re.compile(
        r"(?<![\w.+\-])[\w.+\-]+"
        r"(?:\s?[(\[]\s?(?:at|arobase)\s?[)\]]\s?|\s(?:at|arobase)\s|\s?arobase\s?)"
        r"[\w\-]+\s?(?:\.|\(dot\)|dot|point)\s?[a-z]{2,4}\b",
        re.IGNORECASE,
    )

    def spans(self, text, nlp_artifacts):
        for m in self.OBFUSCATED.finditer(text):
            if "@" not in m.group() and re.search(r"[(\[]|arobase|\.", m.group()):
                yield m.start(), m.end(), 0.8
        for m in self.PATTERN.finditer(text):
            end = m.end()
            while end > m.start() and text[end - 1] in ".-":
                end -= 1
            yield m.start(), end, 1.0


# Numbers spelled out, as dictation software writes them: "vingt-deux", "quatre-vingt-dix".
_NUMBER_WORD = (
    r"(?:z[ée]ro|une?|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|"
    r"quatorze|quinze|seize|vingts?|trente|quarante|cinquante|soixante)"
)
# A whole spelled number: "vingt-deux", "soixante et onze", "mille neuf cent quatre-vingt-dix".
_SPELLED_NUMBER = (
    rf"(?:{_NUMBER_WORD}|cents?|mille)(?:[ \-](?:et[ \-])?(?:{_NUMBER_WORD}|cents?|mille)){{0,7}}"
)


class FrPhoneRecognizer(FrenchRecognizer):
    """French numbers in every usual layout, +33 / 0033, and foreign numbers."""

    ENTITY = "TEL"
    # Separators stay on the line: "fixe : 02 62 25 47 19⏎4 enfants" ends at its line.
    FRENCH = re.compile(
        r"(?<![\d+])(?:(?:\+|00)[ \t\u00a0\u202f]?33[ \t\u00a0\u202f]?(?:\(0\)[ \t\u00a0\u202f]?)?"
        r"|\(?0\)?)[ \t\u00a0\u202f]?[1-9](?:[ \t\u00a0\u202f.\-/]?\d{2}){4}(?!\d)"
    )
    FOREIGN = re.compile(
        r"(?<![\w+])(?:\+|00)[ \t\u00a0\u202f]?[1-9]\d{0,2}"
        r"(?:[ \t\u00a0\u202f.\-/]?\(?\d{1,4}\)?){2,6}(?!\d)"
    )
    CONTEXT = re.compile(
        r"(t[ée]l|portable|mobile|fixe|num[ée]ro|joignable|appel|contact|sms|whatsapp|n°)"
    )

    DATE_THEN_HOUR = re.compile(r"\d{1,2}/\d{1,2}/(?:19|20)\d{2}(?!\d)")
    # A mistyped number after "tél"/"portable" is still someone's number.
    LOOSE = re.compile(
        r"(?:t[ée]l[ée]?(?:phone)?|portable|mobile|fixe|joignable au|num[ée]ro)\s*\.?\s*:?\s*"
        r"((?:\+?\d[\s.\-/]?){8,14}\d)(?!\d)",
        re.IGNORECASE,
    )

    # "04 72 50 33 10 poste 218", "(poste de soins : poste 4521)": an extension reaches
    # one desk; "un poste 35 h" is a job.
    EXTENSION = re.compile(
        r"(?<!\w)poste\s*:?\s*(\d{3,5})(?!\s*(?:h\b|heures?|€|euros?|%))(?![\w])", re.IGNORECASE
    )

    # New Caledonia (+687), French Polynesia (+689), Wallis (+681) dial six digits:
    # "78 91 06", taken only near a phone word or one of those codes, and never a date.
    SIX_DIGITS = re.compile(
        r"(?<![\d+.,/:])(\d{2})[ .](\d{2})[ .]\d{2}(?![\d,/:]|\.\d|\s?(?:€|%|h\b))"
    )
    PACIFIC_CODE = re.compile(r"\+68[179]")

    SPELLED = re.compile(
        rf"(?<!\w)z[ée]ro(?:[\s,\-]+(?:et[\s\-]+)?{_NUMBER_WORD})+(?!\w)", re.IGNORECASE
    )

    def spans(self, text, nlp_artifacts):
        for m in self.LOOSE.finditer(text):
            # ("appel tél 03/07/2025 11h20": a date then an hour.)
            if self.DATE_THEN_HOUR.match(m.group(1)):
                continue
            end = m.end(1)
            # A number wrapped by a PDF copy ("Tél. : 03 27 14 62⏎88") runs on to the next
            # line; a whole one stops at its line ("02 62 25 47 19⏎4 enfants").
            cut = text.find("\n", m.start(1), end)
            if cut >= 0 and sum(c.isdigit() for c in text[m.start(1) : cut]) >= 10:
                end = cut
            yield m.start(1), end, 0.6
        for m in self.FRENCH.finditer(text):
            # "le 03/07/2025 11h20": a date then an hour; a number written with slashes
            # puts one between every pair ("03/07/20/25/11").
            if self.DATE_THEN_HOUR.match(m.group()):
                continue
            score = 0.95 if _has_context(text, m.start(), self.CONTEXT) else 0.8
            yield m.start(), m.end(), score
        for m in self.FOREIGN.finditer(text):
            digits = sum(c.isdigit() for c in m.group())
            if 8 <= digits <= 15:
                yield m.start(), m.end(), 0.75
        for m in self.SIX_DIGITS.finditer(text):
            date_like = int(m.group(1)) <= 31 and int(m.group(2)) <= 12
            if not date_like and (
                _has_context(text, m.start(), self.CONTEXT, 120)
                or _has_context(text, m.start(), self.PACIFIC_CODE, 120)
            ):
                yield m.start(), m.end(), 0.6
        for m in self.EXTENSION.finditer(text):
            yield m.start(1), m.end(1), 0.6
        # Dictated: "zéro six, quarante-deux, dix-huit, soixante-treize, zéro cinq".
        for m in self.SPELLED.finditer(text):
            if len(re.findall(r"[^\W\d_]+", m.group())) >= 6:
                yield m.start(), m.end(), 0.7


class FrUrlRecognizer(FrenchRecognizer):
    """Links and social-network handles point straight to a person."""

    ENTITY = "URL"
    PATTERN = re.compile(
        r"(?:https?://|www\.)[^\s<>\"')\]]+|(?<![\w@.])@[A-Za-z0-9_.]{3,30}(?![\w@])"
        # "instagram.com/shainez.93_", "fb.com/x": a domain followed by a path, no scheme.
        r"|(?<![\w@./])(?:[a-z0-9\-]+\.)+(?:com|fr|net|org|io|me|be|ch|tv|gg|app|link|ly)"
        r"/[^\s<>\"')\]]+",
        re.IGNORECASE,
    )

    def spans(self, text, nlp_artifacts):
        for m in self.PATTERN.finditer(text):
            end = m.end()
            while end > m.start() and text[end - 1] in ".,;:!?":
                end -= 1
            yield m.start(), end, 0.85


# --------------------------------------------------------------------------- checksummed ids


class FrNirRecognizer(FrenchRecognizer):
    """Numéro de sécurité sociale: 13 digits + 2-digit key, Corsica 2A/2B, key checked."""

    ENTITY = "NIR"
    PATTERN = re.compile(
        r"(?<![\w])[12][\s.]?\d{2}[\s.]?(?:0[1-9]|1[0-2]|[2-9]\d)[\s.]?"
        # Born overseas, the département has three digits and the commune two, and
        # people group them so: "2 72 05 971 03 118 46".
        r"(?:(?:\d{2}|2[AB])[\s.]?\d{3}|9[78]\d[\s.]?\d{2})"
        r"[\s.]?\d{3}(?:[\s.]?\d{2})?(?![\w])",
        re.IGNORECASE,
    )
    CONTEXT = re.compile(
        r"(nir|secu|securite sociale|n° ss|\bss\b|insee|immatriculation|vitale|assure)"
    )

    def spans(self, text, nlp_artifacts):
        for m in self.PATTERN.finditer(text):
            compact = re.sub(r"[\s.]", "", m.group()).upper()
            context = _has_context(text, m.start(), self.CONTEXT)
            if len(compact) == 15 and std_nir.is_valid(compact):
                score = 1.0
            elif len(compact) == 15:  # a mistyped key: still a NIR, still masked
                score = 0.8 if context else 0.5
            else:  # key omitted
                score = 0.85 if context else 0.6
            yield m.start(), m.end(), score


class FrIbanRecognizer(FrenchRecognizer):
    ENTITY = "IBAN"
    # ASCII classes + IGNORECASE on the original text: upper-casing the text first would
    # shift offsets ("ß" becomes "SS").
    PATTERN = re.compile(
        r"\b[A-Z]{2}\d{2}(?:[ \-]?[A-Z0-9]{4}){2,7}(?:[ \-]?[A-Z0-9]{1,3})?\b",
        re.IGNORECASE | re.ASCII,
    )
    CONTEXT = re.compile(r"(iban|rib|compte|bancaire|virement|banque)")

    def spans(self, text, nlp_artifacts):
        for m in self.PATTERN.finditer(text):
            value = m.group().upper()
            if std_iban.is_valid(value):
                yield m.start(), m.end(), 1.0
            elif _has_context(text, m.start(), self.CONTEXT) or value.startswith("FR"):
                yield m.start(), m.end(), 0.7


# --------------------------------------------------------------------------- other numbers


class FrPlateRecognizer(FrenchRecognizer):
    """Licence plates: SIV (AB-123-CD) and the older FNI (1234 AB 93)."""

    ENTITY = "PLAQUE"
    SIV = re.compile(r"(?<![\w-])[A-HJ-NP-TV-Z]{2}[\s-]?\d{3}[\s-]?[A-HJ-NP-TV-Z]{2}(?![\w-])")
    FNI = re.compile(r"(?<![\w-])\d{1,4}[\s-]?[A-Z]{1,3}[\s-]?(?:\d{2}|2[AB]|97\d)(?![\w-])")
    CONTEXT = re.compile(
        r"(immat|plaque|vehicule|voiture|camion|moto|scooter|carte grise|fourgon|caravane|"
        r"camping-car|remorque|utilitaire|\bauto\b|gare[e]? |stationn|"
        # "dort dans sa 206 (8341 VX 62)": the car named by its model.
        r"\b(?:sa|son|une|un|leur) (?:[1-5]0[5-8]|clio|twingo|kangoo|berlingo|partner|"
        r"megane|scenic|laguna|c[1-5]|picasso|golf|polo|corsa|fiesta|zafira|sandero|logan|"
        r"duster|trafic|master|jumper|boxer|ducato|express))"
    )

    # "sa clio gh-412-kt": lower case only with both hyphens, which no word has.
    SIV_LOWER = re.compile(r"(?<![\w-])[a-hj-np-tv-z]{2}-\d{3}-[a-hj-np-tv-z]{2}(?![\w-])")

    # "plaque roumaine DJ 04 XCV", "immatriculée 1-ABC-234": any layout right after the
    # word, letters and digits together, on one line.
    AFTER_CUE = re.compile(
        r"(?i:\bplaque|\bimmatricul[ée]e?|\bimmat\.?)(?:[ \t]+(?i:[ée]trang[èe]re|roumaine|"
        r"belge|espagnole|italienne|allemande|polonaise|bulgare|portugaise|suisse|anglaise|"
        r"britannique|n[ée]erlandaise|marocaine|alg[ée]rienne|tunisienne|turque|"
        r"d['’]immatriculation))?[ \t]*(?:n°|:)?[ \t]*"
        r"((?=[A-Z0-9 \-]*\d)(?=[A-Z0-9 \-]*[A-Z])[A-Z0-9]{1,4}(?:[ \-][A-Z0-9]{1,4}){1,3})(?![\w-])"
    )

    def spans(self, text, nlp_artifacts):
        for m in self.AFTER_CUE.finditer(text):
            yield m.start(1), m.end(1), 0.75
        for m in self.SIV.finditer(text):
            yield m.start(), m.end(), 0.9 if _has_context(text, m.start(), self.CONTEXT) else 0.7
        for m in self.SIV_LOWER.finditer(text):
            yield m.start(), m.end(), 0.7
        sivs = [m.end() for m in self.SIV.finditer(text)]
        for m in self.FNI.finditer(text):
            # "EK-339-PL et 4821 TZ 44": an old plate listed after a new one is a plate too.
            if _has_context(text, m.start(), self.CONTEXT, 60) or any(
                0 <= m.start() - end <= 8 for end in sivs
            ):
                yield m.start(), m.end(), 0.8


_ID_KINDS: list[tuple[str, re.Pattern[str]]] = [
    (
        "NUM_TITRE",
        re.compile(
            r"(titre de sejour|sejour|recepisse|passeport|cni|carte d'identite|"
            r"carte nationale|agdref|visa|ofpra|ofii|etranger|\bid\b)"
        ),
    ),
    ("NUM_CAF", re.compile(r"(caf|allocataire|\bmatricule|msa)")),
    (
        "NUM_FT",
        re.compile(
            r"(france travail|pole emploi|\bft\b|\bpe\b|identifiant|demandeur d'emploi|inscrit)"
        ),
    ),
    (
        "NUM_DOSSIER",
        re.compile(
            r"(dossier|\bref|reference|affaire|\brg\b|parquet|procedure|minute|"
            r"signalement|\bip\b|jugement|ordonnance|mesure|numero de suivi|\bdossier|"
            r"\bpdl\b|\bprm\b|\bpce\b)"
        ),
    ),
    ("NUM_FISCAL", re.compile(r"(fiscal|impots|\bspi\b|avis d'imposition)")),
    ("NUM_ID", re.compile(r"(n°|no\b|num[eé]ro|numero|\bnum\b|code|client|contrat|badge)")),
]


class FrIdNumberRecognizer(FrenchRecognizer):
    """Any case-file, CAF, France Travail, permit or passport number.

    The *shape* of these numbers differs from one office to the next, so the
    rule is general: a token with at least four digits (possibly mixed with
    letters, dashes, slashes) that is not a date, an amount, a year, a phone or
    a postcode. The French word before it decides the type (and the score).
    """

    ENTITY = "NUM_ID"
    TYPES = ("NUM_ID", "NUM_CAF", "NUM_FT", "NUM_TITRE", "NUM_DOSSIER", "NUM_FISCAL")
    TOKEN = re.compile(r"(?<![\w/.\-])[A-Za-z0-9](?:[A-Za-z0-9]|[\-/.](?=[A-Za-z0-9]))*(?![\w])")
    # Groups of digits separated by spaces right after an explicit "n°" ("n° 123 456 7").
    SPACED = re.compile(
        # ("PDL", "PRM", "PCE": the number of an electricity or gas meter, one home's.)
        r"(?<!\w)(?:n°|(?:no|num[ée]ro|matricule|identifiant|dossier|r[ée]f[ée]rence|contrat|"
        r"PDL|PRM|PCE)\b)"
        # ("N° allocataire CAF : 301 5527": a few words may name the number before ":".)
        # ("n° MSA 40 0118 2753": or the body's acronym alone.)
        r"(?:\s+contrat\b|(?:\s+[^\W\d][\w'’]*){1,3}?\s*:|\s+(?:CAF|MSA|CPAM|SS|FT|PE)\b)?\s*:?\s*"
        r"(\d{2,4}(?:[ \u00a0]\d{2,5}){1,4}(?:[ \u00a0]\d)?[A-Za-z]?)(?![\w])",
        re.IGNORECASE,
    )
    # A letter series written apart from the number: "carte n° RX 123456", "n° 12 AB 34567".
    # The cue is a whole word: "Corée du Nord en 2019" holds "no" but no number.
    SERIES = re.compile(
        r"(?<!\w)(?:n°|(?:no|num[ée]ro|matricule|identifiant|passeport|carte)\b)\s*:?\s*"
        r"((?:[A-Z]{1,3}|\d{2})[ \u00a0](?:[A-Z]{1,3}[ \u00a0])?\d{4,9}[A-Z]?)(?![\w])",
        re.IGNORECASE,
    )
    # Dictated: "son numéro caf deux un quatre huit neuf zéro sept".
    SPELLED = re.compile(
        r"(?<!\w)(?:num[ée]ro|n°|identifiant|matricule)(?:\s+(?:caf|msa|allocataire|de dossier|"
        r"dossier|france travail|fiscal|de s[ée]curit[ée] sociale|de s[ée]cu))?\s*:?\s*"
        rf"((?:{_NUMBER_WORD}[ ,\-]+){{4,}}{_NUMBER_WORD})(?!\w)",
        re.IGNORECASE,
    )
    AMOUNT_AFTER = re.compile(r"^\s?(?:€|eur|euros?|k€|%|h\b|ans?\b|mois|km|m²|m2|kg|g\b)", re.I)
    DATE_LIKE = re.compile(r"^\d{1,2}[/.\-]\d{1,2}(?:[/.\-]\d{2,4})?$|^\d{4}-\d{2}-\d{2}$")
    # "14h30", and a span of hours "8h45/11h45", "9h-12h".
    TIME_LIKE = re.compile(r"^\d{1,2}[hH:]\d{0,2}(?:[/\-]\d{1,2}[hH:]\d{0,2})?$")
    # "2kg650", "3kg", "48cm": a baby's weight or size written the nurse's way.
    MEASURE_LIKE = re.compile(r"^\d{1,3}(?:kg|g|cm|mm|ml|cl)\d{0,3}$", re.IGNORECASE)

    def __init__(self, lexicon: FrenchLexicon | None = None) -> None:
        super().__init__(lexicon)
        self.supported_entities = list(self.TYPES)

    def kind(self, text: str, start: int) -> tuple[str, bool]:
        context = left_context(text, start, 45)
        best = ("NUM_ID", False)
        best_pos = -1
        for kind, pattern in _ID_KINDS:
            for m in pattern.finditer(context):
                # The nearest cue wins ("dossier CAF n° 123": CAF is nearest).
                if m.end() > best_pos and (kind != "NUM_ID" or best_pos < 0):
                    best, best_pos = (kind, True), m.end()
        return best

    def analyze(self, text, entities=None, nlp_artifacts=None):
        results = []
        seen: set[tuple[int, int]] = set()
        for start, end, score in self.spans(text, nlp_artifacts):
            if (start, end) in seen:
                continue
            seen.add((start, end))
            kind, _ = self.kind(text, start)
            if entities and kind not in entities:
                continue
            results.append(
                RecognizerResult(
                    kind,
                    start,
                    end,
                    score,
                    recognition_metadata={
                        RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                    },
                )
            )
        return results

    def spans(self, text, nlp_artifacts):
        for m in self.SPELLED.finditer(text):
            yield m.start(1), m.end(1), 0.7
        for m in self.SERIES.finditer(text):
            yield m.start(1), m.end(1), 0.85
        for m in self.SPACED.finditer(text):
            if not self.AMOUNT_AFTER.match(text[m.end(1) : m.end(1) + 6]):
                yield m.start(1), m.end(1), 0.85
        for m in self.TOKEN.finditer(text):
            token = m.group()
            digits = sum(c.isdigit() for c in token)
            too_short = digits < 4 or (len(token) < 5 and not any(c.isalpha() for c in token))
            if too_short and not (
                digits >= 4 and len(token) == 4 and self._explicit(text, m.start())
            ):
                continue
            if (
                self.DATE_LIKE.match(token)
                or self.TIME_LIKE.match(token)
                or self.MEASURE_LIKE.match(token)
            ):
                continue
            if token in keep_words():  # "numéro 3919 remis": a national helpline
                continue
            if self.AMOUNT_AFTER.match(text[m.end() : m.end() + 6]):
                continue
            if token.isdigit():
                if len(token) == 5:  # a postcode: the postcode recognizer decides
                    continue
                if len(token) == 4 and not self._explicit(text, m.start()):
                    continue
                if (len(token) == 10 and token[0] == "0") or (
                    len(token) in (13, 15) and token[0] in "12"
                ):
                    continue  # phones and NIR have their own recognizers
            _, has_cue = self.kind(text, m.start())
            letters = any(c.isalpha() for c in token)
            if has_cue:
                score = 0.85
            elif letters or digits >= 6:
                score = 0.55
            else:
                score = 0.45
            # Plain words with digits at the end ("covid19") are not identifiers.
            if letters and digits < 4:
                continue
            yield m.start(), m.end(), score

    @staticmethod
    def _explicit(text: str, start: int) -> bool:
        return bool(
            re.search(
                r"(n°|no|num[eé]ro|ref|dossier|matricule)\s*:?\s*$",
                text[max(0, start - 15) : start],
                re.I,
            )
        )


# --------------------------------------------------------------------------- dates, ages


_WEEKDAYS = r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
_WEEKDAYS_SHORT = r"lun|mar|merc?|jeu|ven|vend|sam|dim"
_MONTHS = (
    r"janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[ûu]t|septembre|octobre|novembre|"
    r"d[ée]cembre|janv\.?|f[ée]vr?\.?|avr\.?|juil\.?|sept\.?|oct\.?|nov\.?|d[ée]c\.?"
)


_EN_WEEKDAYS = r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_EN_MONTHS = (
    r"January|February|March|April|May|June|July|August|September|October|November|December"
)
_EN_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"


class FrDateRecognizer(FrenchRecognizer):
    """Birth dates and other dates: 04/07/1985, 3 janvier 2001, 22/07, 1985-07-04, mars 2019."""

    ENTITY = "DATE"
    NUMERIC = re.compile(
        r"(?<![\w/.,])(?:0?[1-9]|[12]\d|3[01])([/.\-])(?:0?[1-9]|1[0-2])\1(?:19|20)?\d{2}(?![\w/])"
    )
    SHORT = re.compile(
        r"(?<![\w/.,])(?<!(?i:page) )(?<!(?i:p\.) )(?:1er|0?[1-9]|[12]\d|3[01])/(?:0?[1-9]|1[0-2])"
        # (Not "Page 3/5", a score "4/5", nor "3/4 ans".)
        r"(?![\w/])(?!\s?(?:ans?|mois)\b)"
        # (Nor a fraction, "1/2 assiette", "3/4 temps".)
        r"(?![ \t]?(?:assiettes?|portions?|heures?|h\b|journ[ée]es?|temps|doses?|comprim[ée]s?|"
        r"cp\b|verres?|parts?|litres?|tasses?|bouteilles?|paquets?|baguettes?))"
    )
    # "Tension prise par l'IDEL 13/8", "TA 12/7": a blood pressure, no date.
    PRESSURE_BEFORE = re.compile(r"(?i)(?<!\w)(?:tension|ta|pa)(?!\w)[^\n.;,]{0,30}\Z")
    ISO = re.compile(r"(?<!\w)(?:19|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?!\w)")
    TEXTUAL = re.compile(
        rf"(?<!\w)(?:(?:{_WEEKDAYS})[ \t\u00a0]+)?(?:1er|1ᵉʳ|premier|[12]\d|3[01]|0?[1-9])\s+(?:{_MONTHS})(?:\s+(?:19|20)\d{{2}})?(?![\w])",
        re.IGNORECASE,
    )
    MONTH_YEAR = re.compile(rf"(?<!\w)(?:{_MONTHS})\s+(?:19|20)\d{{2}}(?!\w)", re.IGNORECASE)
    # Dictated: "le quatorze février mille neuf cent quatre-vingt-dix".
    SPELLED = re.compile(
        rf"(?<!\w)(?:premier|{_SPELLED_NUMBER})\s+(?:janvier|f[ée]vrier|mars|avril|mai|juin|"
        rf"juillet|ao[ûu]t|septembre|octobre|novembre|d[ée]cembre)(?:\s+{_SPELLED_NUMBER})?(?!\w)",
        re.IGNORECASE,
    )
    # Notes for exiled people quote English: "Saturday 15 March", "on 2 February",
    # "Tuesday 18th", "March 3rd, 2024".
    ENGLISH = re.compile(
        rf"(?<!\w)(?:(?:{_EN_WEEKDAYS})\s+)?(?:{_EN_DAY}\s+(?:{_EN_MONTHS})|(?:{_EN_MONTHS})\s+{_EN_DAY})"
        rf"(?:,?\s+(?:19|20)\d{{2}})?(?!\w)"
        rf"|(?<!\w)(?:{_EN_WEEKDAYS})\s+{_EN_DAY}(?!\w)(?!\s*(?:h\b|am\b|pm\b|:))"
    )
    BIRTH_YEAR = re.compile(
        r"(?:\bn[ée]e?s?|naissance|\bdob)\s*(?:en|le|:|de)?\s*((?:19|20)\d{2})(?!\w)", re.IGNORECASE
    )
    BIRTH = re.compile(r"(n[ée]e?s? |naissance|ddn|dob|anniversaire)")
    # A day written without its month because the next one carries it: "du 4 au
    # 22 novembre", "les 3, 4 et 5 mars", "entre le 2 et le 9/01". Read right to left.
    _DAY = r"(?:1er|1ᵉʳ|[12]\d|3[01]|0?[1-9])"
    RANGE_LEFT = re.compile(
        rf"(?<![\w/.,])((?:(?:{_WEEKDAYS})[ \t\u00a0]+)?{_DAY})"
        r"\s*(?:,|et|au|à|a|-|–|ou)\s*(?:le\s+|du\s+)?$",
        re.IGNORECASE,
    )
    # "Lun. 6/01", "mar. 4 mars": a weekday, even abbreviated, belongs to its date.
    # ("Le kiné passe le jeudi.⏎21/11 : appel": a full weekday with its dot ends a
    # sentence, and a date on the next line is another one.)
    WEEKDAY_BEFORE = re.compile(
        rf"(?<!\w)(?:{_WEEKDAYS}|(?:{_WEEKDAYS_SHORT})\.?)[ \t\u00a0]*\Z", re.IGNORECASE
    )
    # "mardi 14", "semaine du 9": a day of the month named by its weekday or its week.
    # ("ven. 7", "lun. 10": abbreviated with its dot.)
    WEEKDAY_DAY = re.compile(
        rf"(?<!\w)(?:{_WEEKDAYS}|semaine du|(?:{_WEEKDAYS_SHORT})\.)\s*({_DAY})(?!\d)"
        # Not an hour, an amount or a longer number ("mardi 14 h", "lundi 14 30 €"), but
        # an hour may follow the day ("lundi 14 9h").
        # ("[mar. 19:02]" in a message log is an hour.)
        r"(?!\s*(?:h\b|h\d|heures?|ans?\b|mois|jours?|€|%|[/.\-:]\d)|\s*\d+(?!\d|\s?[hH:]))",
        re.IGNORECASE,
    )
    # "le 1er à 14h", "le 3 a 10h30": a day of the month given with its hour.
    DAY_AT_HOUR = re.compile(
        rf"(?<!\w)le\s+({_DAY})\s+(?:à|a)\s+\d{{1,2}}\s?(?:h|:\d\d)", re.IGNORECASE
    )

    def spans(self, text, nlp_artifacts):
        for pattern, score in (
            (self.NUMERIC, 0.85),
            (self.ISO, 0.85),
            (self.TEXTUAL, 0.8),
            (self.SHORT, 0.6),
            (self.MONTH_YEAR, 0.6),
            (self.ENGLISH, 0.7),
            (self.SPELLED, 0.6),
        ):
            for m in pattern.finditer(text):
                if pattern is self.SHORT and self.PRESSURE_BEFORE.search(
                    text, max(0, m.start() - 40), m.start()
                ):
                    continue
                boosted = 0.95 if _has_context(text, m.start(), self.BIRTH, 20) else score
                weekday = self.WEEKDAY_BEFORE.search(text, max(0, m.start() - 12), m.start())
                yield weekday.start() if weekday else m.start(), m.end(), boosted
                if pattern is not self.MONTH_YEAR:
                    yield from self._range_days(text, m.start(), score, m.end())
        for m in self.WEEKDAY_DAY.finditer(text):
            # "vendredi 12" is masked whole, like "vendredi 12 mai"; "semaine du" stays.
            start = m.start(1) if m.group().casefold().startswith("semaine") else m.start()
            yield start, m.end(1), 0.6
            yield from self._range_days(text, m.start(), 0.6, m.end(1))
        for m in self.BIRTH_YEAR.finditer(text):
            yield m.start(1), m.end(1), 0.9
        for m in self.DAY_AT_HOUR.finditer(text):
            yield m.start(1), m.end(1), 0.6

    def _range_days(self, text: str, start: int, score: float, end: int) -> Iterable[Span]:
        for _ in range(6):  # a list of days is short; bound the walk anyway
            m = self.RANGE_LEFT.search(text, max(0, start - 40), start)
            if m is None:
                return
            # "du 9 au 10 février 2024": a range is one period, masked whole (the "au"
            # too); a list ("les 3, 4 et 5 mars") keeps a mask per day.
            link = text[m.end(1) : start].strip().casefold()
            stop = end if re.match(r"(?:au|à|a|-|–)(?!\w)", link) else m.end(1)
            yield m.start(1), stop, score
            start = m.start(1)
            end = stop


class FrAgeRecognizer(FrenchRecognizer):
    """Exact ages of adults (18 and over); children's ages and durations stay."""

    ENTITY = "AGE"
    PATTERN = re.compile(r"(?<![\w,.])(\d{2,3})\s*(?:ans|an)\b", re.IGNORECASE)
    LABEL = re.compile(r"\b[âa]ge\s*:?\s*(\d{2,3})\b(?!\s*(?:ans|mois|%))", re.IGNORECASE)
    ABBREVIATED = re.compile(
        # ("| Mme PETIT Germaine, 92 a. | 8h00 |": a table's cell ends it too.)
        r"(?:(?<=[(,;/–—|-])|(?<=[(,;/–—|-]\s)|(?<=^))(\d{2,3})\s?a\.?(?=\s*(?:[),;/–—|-]|$))",
        re.MULTILINE,
    )
    DURATION = re.compile(
        # (Whole words: "a bien 25 ans" is no "en".)
        r"(?<!\w)(depuis|pendant|durant|il y a|y a|dans|sur|apres|avant|pour|tous les|chaque|plus de|"
        r"moins de|environ|pres de|jusqu'a|jusqu a|de plus de|au bout de|en|d'ici|ces|les|des|"
        r"entre|et|ou|aux|"
        # "a travaillé 20 ans dans le BTP", "a vécu 30 ans à Lyon": time spent doing.
        r"travaille|vecu|passe|cotise|habite|reside|reste|servi|exerce|vecue)\s*$"
    )
    # Dictated: "quarante-et-un ans" (from eighteen up; "dix ans" is a child's).
    SPELLED = re.compile(
        r"(?<![\w\-])(?:dix-huit|dix-neuf|vingt|trente|quarante|cinquante|soixante|"
        rf"quatre-vingts?|cent)(?:[ \-](?:et[ \-])?{_NUMBER_WORD}){{0,3}}[ \t]+ans(?![\w])",
        re.IGNORECASE,
    )
    AGE_CUE = re.compile(r"(age|agee?s?\s+de|(?<!\w)a|avoir|aura|fete|fetera|,|\(|-|:)\s*$")

    # Dictated or texted: "kevin dit tonton 23a sorti de…".
    GLUED = re.compile(r"(?<![\w,.])(\d{2})a(?=[\s,;.)]|$)", re.MULTILINE)

    def spans(self, text, nlp_artifacts):
        for m in self.GLUED.finditer(text):
            before = left_context(text, m.start(), 12)
            if 18 <= int(m.group(1)) <= 99 and not re.search(
                r"(bat|batiment|apt|appt|appartement|porte|n°|numero|no|escalier|chambre)\.?\s*$",
                before,
            ):
                yield m.start(), m.end(), 0.55
        for m in self.PATTERN.finditer(text):
            value = int(m.group(1))
            if not 18 <= value <= 115:
                continue
            before = left_context(text, m.start(), 25)
            after = text[m.end() : m.end() + 12].lower()
            if re.match(r"\s*(de |d'|d’)", after) and not re.search(r"agee?s?\s+de\s*$", before):
                continue  # "20 ans de mariage": a duration
            # "contrat jeune majeur à 18 ans", "retraite à 62 ans": a threshold, not an age.
            if re.search(r"(?<!\w)[àÀ]\s*$", text[max(0, m.start() - 3) : m.start()]) and not (
                re.search(r"[âa]g[ée]e?s?\s+de\s*$", before)
            ):
                continue
            cue = self.AGE_CUE.search(before)
            duration = self.DURATION.search(before) and not re.search(r"agee?s?\s+de\s*$", before)
            if duration and not (cue and cue.group(1) in ("a", "avoir", "aura")):
                continue
            yield m.start(), m.end(), 0.85 if cue else 0.65
        for m in self.LABEL.finditer(text):
            if 18 <= int(m.group(1)) <= 115:
                yield m.start(1), m.end(1), 0.8
        for m in self.SPELLED.finditer(text):
            before = left_context(text, m.start(), 25)
            if not self.DURATION.search(before) and not re.match(
                r"\s*(?:de |d'|d’)", text[m.end() : m.end() + 6]
            ):
                yield m.start(), m.end(), 0.6
        # Notes taken fast: "veuve - 52 a -", "(45a)". Only between separators, since
        # "a" is also the verb ("18 a été").
        for m in self.ABBREVIATED.finditer(text):
            if 18 <= int(m.group(1)) <= 115:
                yield m.start(), m.end(), 0.6


# --------------------------------------------------------------------------- addresses


_STREET = (
    # ("chernin", "irnpasse": OCR reads "m" as "rn".)
    r"rue|r\.|avenue|av\.?|ave|boulevard|bd|bld|blvd|place|pl\.|che(?:m|rn)in|ch\.|i(?:m|rn)passe|"
    r"imp\.?|all[ée]es?|"
    r"route|rte|quai|cours|square|sq\.?|r[ée]sidence|r[ée]s\.?|cit[ée]|lieu-dit|lieu dit|lotissement|"
    r"lot\.?|hameau|villa|passage|sentier|voie|esplanade|parvis|rond-point|faubourg|fbg|domaine|"
    r"chauss[ée]e|mont[ée]e|quartier|zac|zi|za|cour|traverse|ruelle|clos|mail|parc|promenade|"
    r"sente|venelle|carrefour|port|ferme|bastide|mas|piste|"
    # Breton: "5 hent Kerangoff", "straed ar Vilin".
    r"hent|straed"
)
_STREET_SAFE = (
    r"rue|avenue|av\.|boulevard|bd|bld|blvd|impasse|imp\.|all[ée]es?|route|rte|quai|square|"
    r"r[ée]sidence|r[ée]s\.|cit[ée]|lieu-dit|lieu dit|lotissement|hameau|esplanade|parvis|"
    r"rond-point|faubourg|fbg|chauss[ée]e|zac|traverse|ruelle|venelle|sente|sentier|quartier|"
    r"immeuble|tribu|servitude"
)
# ("R.", "Ch.", "Pl." capitalised are answer marks and initials more often than streets.)
_STREET_CAPS = "|".join(
    w[0].upper() + w[1:]
    for w in _STREET.split("|")
    if w[0].isalpha() and w[0].islower() and w not in (r"r\.", r"ch\.", r"pl\.")
)
_NAME_WORD = r"(?:[A-ZÀ-ÖØ-Þ0-9][\w'’\-]*|d['’][A-ZÀ-ÖØ-Þ][\w'’\-]*|l['’][A-ZÀ-ÖØ-Þ][\w'’\-]*)"
_LINK_NAME = r"(?:de\s+la|de\s+l['’]|du|des|de|d['’]|la|le|les|l['’])"
_LINK = r"(?:de\s+la|de\s+l['’]|du|des|de|d['’]|la|le|les|l['’]|et|sur|sous|en|aux|au|à)"
# A locality's capitalised words and the articles between them: "Ravine des Cabris".
_CAP_WORD = r"[A-ZÀ-Þ][\w'’\-]*"
_CAP_LINK = r"[ \t]+(?:(?:de|du|des|la|le|les)[ \t]+|[dl]['’])?"
# A département's number ("Habitat 76", "Vitré (35)"), and what may not follow it for it
# to be one: a longer number, a decimal, an hour, an age, an amount ("Logement 45 m²").
_DEPARTMENT = r"(?:0[1-9]|[1-8]\d|9[0-5]|2[AB]|97[1-6])"
_NOT_A_QUANTITY = r"(?![\w]|[,.]\d|\s?(?:h\b|ans?\b|€|%|m²))"


# "12 rue X, 18e", "Lyon 7e", "marseille (13ème)": a district right after an address or a
# town belongs to it.
# "Lyon 7e", "Paris (18e)"; not a school class ("VALENCE, 4e B").
_DISTRICT_AFTER = re.compile(
    r"^\s?[,(]?\s?(\d{1,2}\s?(?:e|è|ème|eme|er))(?!\w)(?![ \u00a0][A-Z](?![\w.]))"
    r"(?![ \u00a0](?:[ée]tage|[ée]t\.))\s?\)?"
)


def _district_after(text: str, end: int, score: float) -> Iterable[Span]:
    m = _DISTRICT_AFTER.match(text[end : end + 12])
    if m:
        yield end + m.start(1), end + m.end(1), score


def _street_end(street: re.Match[str]) -> int:
    """ "14 rue du Faubourg de Saverne à Strasbourg 3e étage": a street ends before "à"
    and a known town (the place recognizer's); "chemin de la Croix à l'Abbé" is one name."""
    cut = re.search(r"[ \t\u00a0]+[àa][ \t\u00a0]+([A-ZÀ-Þ][\w'’\-]+)", street.group())
    if cut and (fold(cut.group(1)) in cities() or fold(cut.group(1)) in communes()):
        return street.start() + cut.start()
    return street.end()


class FrAddressRecognizer(FrenchRecognizer):
    """Street addresses: "12 bis rue des Lilas", "bât. C apt 12", "résidence Les Tilleuls"."""

    ENTITY = "ADRESSE"
    WITH_NUMBER = re.compile(
        # (The street's words stay on its line: "61 avenue Halley⏎59650 Villeneuve" is
        # a street, then a postcode and a town, each masked by its own recognizer.)
        rf"(?<![\w])\d{{1,4}}\s?(?:(?i:bis|ter|quater)|[A-D](?![\w]))?\s*,?\s*(?i:{_STREET})[ \t\u00a0]+"
        # (At most two spaces: a form's next field follows after more, "Foch   Code".)
        rf"(?:(?i:{_LINK})\s*)?[\w'’\-]+(?:[ \t\u00a0]{{1,2}}(?:{_LINK}[ \t\u00a0]*)?{_NAME_WORD}|[ \t\u00a0]{{1,2}}(?:{_LINK}[ \t\u00a0]*)?[a-zà-ÿ][\w'’\-]*(?=[ \t\u00a0]*(?:,|\d{{5}}|$|\n|\.)))*",
    )
    # Without a number, words that are also common nouns ("mail", "cours", "place",
    # "passage", "port"…) only start an address when capitalised ("Cours Julien").
    NAMED = re.compile(
        rf"(?<![\w])(?:(?i:{_STREET_SAFE})|{_STREET_CAPS})[ \t\u00a0]+(?:{_LINK}[ \t\u00a0]*)?{_NAME_WORD}"
        rf"(?:[ \t\u00a0]{{1,2}}(?:{_LINK}[ \t\u00a0]*)?{_NAME_WORD})*",
    )
    NAMED_CI_HEAD = re.compile(rf"(?<![\w])(?:{_STREET})(?=\s)", re.IGNORECASE)
    TOWN_AFTER_STREET = re.compile(r",[ \t]*([A-ZÀ-Þ][\w'’\-]+)(?=[ \t]*[),.;\n])")
    STREET_OF_WORDS = re.compile(
        r"rue|avenue|boulevard|bd|impasse|all[ée]es?|chemin|route|quai|square|faubourg|"
        r"chauss[ée]e|ruelle|venelle|sentier|lotissement|hameau",
        re.IGNORECASE,
    )
    LOWER_STREET_TOWN = re.compile(
        r"([ \t]+(?:de\s+la|de\s+l['’]|du|des|de|d['’])[ \t]*(?!(?:la|le|les|et|ou)\b)"
        r"[a-zà-ÿ][\w'’\-]+(?:[ \t]+[a-zà-ÿ][\w'’\-]+)??)"
        r"[ \t]+[àa][ \t]+([\w'’\-]{3,})(?![\w'’\-])"
    )
    # "calle Mayor 14, Irun (Espagne)", "rua das Flores 3": a street abroad.
    FOREIGN_STREET = re.compile(
        r"(?<![\w])(?i:calle|carrer|rua|avenida|viale|strada|stra(?:ss|ß)e|ulica)[ \t]+"
        r"(?:(?:de|del|de la|da|do|dos|das|di)[ \t]+)?[A-ZÀ-Þ][\w'’\-]*"
        r"(?:[ \t]+[A-ZÀ-Þ][\w'’\-]*){0,3}(?:[ \t]*,?[ \t]*\d{1,4}[a-z]?(?![\w]))?"
    )
    ARTICLE_BEFORE_PLACE = re.compile(r"(?:^|[,(–—][ \t]*)(La|Le|Les)[ \t]\Z", re.MULTILINE)
    # "piste Paul-Isnard km 4": the milestone along a road.
    MILESTONE = re.compile(r"[ \t]+(?:km|KM|PK)[ \t]?\d{1,3}(?:[,.]\d{1,2})?(?![\w])")
    COMPLEMENT = re.compile(
        r"(?<![\w])(?:b[aâ]t(?:iment)?\.?|escalier|esc\.|apt\.?|appt\.?|appartement|appart\.?|"
        r"porte|tour|bo[iî]te aux lettres|chambres?|ch\.|lot|villa|logt\.?|logement|pk|"
        r"cabane|caravane|mobil-home|banga|emplacement|"
        # (On its line: "service accompagnement logement⏎05 61…" is no flat number.)
        r"case(?=\s*n°))[ \t]*(?:n°[ \t]*)?[A-Z0-9]{1,4}(?:,\d{1,2}(?!\d))?(?:\s+et\s+[A-Z0-9]{1,4})?(?![\w'’])"
        # not an amount: "allocation logement 1 560 €"
        r"(?![ \u00a0]\d{3}(?!\d)\s?(?:€|euros?))(?!\s?(?:€|euros?|m²|m2\b|ans\b|mois\b))",
        re.IGNORECASE,
    )
    POSTBOX = re.compile(r"(?<![\w])(?:BP|CS|TSA)\s?\d{2,6}(?![\w])")
    # Typed in lower case: "tournée cité des fleurs", "quartier du moulin", "bâtiment c".
    ESTATE_LOWER = re.compile(
        r"(?<![\w])(?:cit[ée]|quartier|hameau|lotissement)\s+(?:des|du|de\s+la|de\s+l['’]|de)\s*[a-zà-ÿ][\w'’\-]{2,}"
        # ("resid. les micocouliers": a plural noun after "les" names the estate.)
        r"|(?<![\w])(?:r[ée]sidence|r[ée]sid\.|r[ée]s\.|cit[ée]|lotissement)[ \t]+les[ \t]+"
        r"[a-zà-ÿ][\w'’\-]{2,}[sx](?![\w'’\-])"
    )
    BUILDING_LOWER = re.compile(r"(?<![\w])b[aâ]t(?:iment)?\.?\s+[b-xz](?![\w'’])")
    DISTRICT = re.compile(
        r"(?:(?<=Paris )|(?<=Lyon )|(?<=Marseille )|(?<=PARIS )|(?<=LYON )|(?<=MARSEILLE ))"
        r"\d{1,2}\s?(?:e|è|ème|eme|er)(?:\s+arr(?:ondissement\b|\.))?(?!\w)"
        r"|(?<!\w)\d{1,2}\s?(?:e|è|ème|eme|er)\s+arr(?:ondissement\b|\.)"
    )

    LOWER_HEAD_NAMED = re.compile(
        rf"(?<![\w])(?:{_STREET})[ \t\u00a0]+((?:{_LINK_NAME}[ \t\u00a0]*)?{_NAME_WORD}"
        rf"(?:[ \t\u00a0]{{1,2}}(?:{_LINK_NAME}[ \t\u00a0]*)?{_NAME_WORD})*)"
    )
    FLOOR = re.compile(
        r"(?<![\w])\d{1,2}\s?(?:e|è|ème|eme|er|ère)\s+(?:[ée]tage|[ée]t\.|gauche|droite|face|fond)"
        # "2e étage gauche": the door's side is part of it.
        r"(?:[ \t]+(?:gauche|droite|face|fond)(?![\w]))?(?![\w])",
        re.I,
    )
    # "…, 52 ans, Section Boisripeaux.": an Antillean or rural locality named after a
    # comma by its kind and a name of no dictionary.
    LOCALITY_KIND = re.compile(
        rf"(?:(?<=,[ \t])|(?<=[–—][ \t]))(?:Section|Quartier|Lieu-dit|Hameau|Morne|Habitation)"
        rf"[ \t]+({_CAP_WORD})"
        # ("domiciliée section Chazeau, 97139 Les Abymes": in lower case, before a postcode
        # or after where the person lives.)
        r"|(?<![\w'’])(?:section|quartier|lieu-dit|hameau|morne|habitation)[ \t]+"
        rf"({_CAP_WORD})(?=,?[ \t]*\d{{5}}(?!\d))"
    )
    # "aire d'accueil des Gravanches": a site named like a street ("l'aire d'accueil de
    # Châtellerault" names its town, the place recognizer's).
    TRAVELLERS_SITE = re.compile(
        r"(?i:aire d['’]accueil)(?:[ \t]+des gens du voyage)?[ \t]+(?:des|du|de la|de l['’])"
        rf"[ \t]*{_CAP_WORD}(?:[ \t]+{_CAP_WORD}){{0,2}}"
    )
    # Dictated: "domiciliée vingt-deux bis rue des tanneurs à mazamet".
    SPELLED_STREET = re.compile(
        rf"(?<!\w)(?!une?\s)(?:{_SPELLED_NUMBER})(?:\s+(?:bis|ter))?\s+(?i:{_STREET})"
        rf"(?:[ \t]+{_LINK_NAME})?[ \t]+[\w'’\-]+"
        r"(?:[ \t]+(?!(?:à|a|au|aux|code|point|virgule|et|dans|depuis|chez|avec)\b)[\w'’\-]+){0,2}",
        re.IGNORECASE,
    )
    LOCALITY_LOWER = re.compile(
        r"(?<![\w])(?:lieu[- ]dit|ld|l\.d\.)[ \t]+((?:(?:la|le|les|l['’])[ \t]*)?[a-zà-ÿ][\w'’\-]*"
        r"(?:[ \t]+(?:de[ \t]+la|de[ \t]+l['’]|du|des|de|d['’])?[ \t]*[a-zà-ÿ][\w'’\-]*){0,3}?)"
        r"(?=[ \t]*(?:,|;|\.|\n|\Z|\(|[–—]|[ \t](?:à|a|au|sur|près|pres|commune)[ \t]|[ \t]\d{5}))"
    )
    # A form's address line: "Adresse actuelle :", "Lieu de vie :".
    _ADDRESS_LABEL = (
        r"(?im)^[ \t]*(?:adresse|domicile|domiciliation|adresse postale|lieu de vie)"
        r"(?:[ \t]+(?:actuelle|personnelle|du domicile))?[ \t]*:[ \t]*"
    )
    ADDRESS_FIELD = re.compile(_ADDRESS_LABEL + r"([^\n:]{2,120}?),?[ \t]*\d{5}(?!\d)")
    # The same line with no postcode ("Adresse : Majicavo-Lamir, case tôle derrière la
    # mosquée"): the whole value, when it opens on a number or a capital.
    # (A bracket after it is a comment: "…, Laxou (pas Nancy, erreur sur la fiche)".)
    ADDRESS_LINE = re.compile(
        _ADDRESS_LABEL + r"((?-i:[A-ZÀ-Þ0-9])[^\n(]{2,100}?)[ \t.;]*(?:\(.*)?$"
    )
    LOCALITY_BEFORE_POSTCODE = re.compile(
        rf"(?<=,[ \t])({_CAP_WORD}(?:{_CAP_LINK}{_CAP_WORD}){{0,3}}),[ \t]*\d{{5}}(?!\d)"
    )
    NAMED_BUILDING = re.compile(
        r"(?<![\w])(?:b[aâ]t\.?|b[aâ]timent)[ \t\u00a0]+(?:(?:les?|la|l['’])[ \t\u00a0]*)?"
        r"[A-ZÀ-Þ][a-zà-ÿ][\w'’\-]+"
    )
    ADDRESS_CONTEXT = re.compile(
        r"(adresse|domicil|habite|reside|demeurant|logee?|hebergee?|\bsise?s?\b|\brue\b)"
    )

    UP_TO_POSTCODE = re.compile(r"((?:,[ \t]*[^,;:!?\n()]{1,45}){1,4}),[ \t]*\d{5}(?!\d)")
    # "34 Grande Rue", "2 Grand'Rue": the village high street names no one, its number does.
    HIGH_STREET = re.compile(
        r"(?<![\w])\d{1,4}\s?(?:bis|ter)?,?\s+(?:Grande[- ]Rue|Grand['’ -]Rue)(?![\w'’\-])"
    )
    # "lieu-dit Les Gravières, RD 938": a road number completing a rural address.
    ROAD = re.compile(r"(?<![\w])(?:RD|RN|CD|D|N)\s?\d{1,4}(?![\w])")
    RURAL_BEFORE = re.compile(
        r"(?i)(?:lieu[- ]dit|hameau|chemin|route|ferme|domaine|lotissement|\bza\b|\bzi\b|aire)"
        r"[^\n]{0,50}[,\-–]\s*$"
    )

    # "…, Ravine des Cabris." right after a street: capitalised words up to the end of
    # the sentence (a verb after them would make them a subject: "…, Pierre est là").
    LOCALITY_AFTER = re.compile(
        rf",[ \t]*({_CAP_WORD}(?:{_CAP_LINK}{_CAP_WORD})*)(?=[ \t]*(?:[.;(\n]|\Z))"
    )

    def _known_town(self, word: str) -> bool:
        """A town after its street ("…, Castanet-Tolosan)", "… à mondeville"): a listed
        town that is not also a common word, or a commune that is no French word."""
        place = fold(word)
        return (place in cities() and place not in _AMBIGUOUS_TOWNS) or (
            place in communes() and word.casefold() not in self.lexicon
        )

    @staticmethod
    def _acronyms_only(street: str, keep: frozenset[str]) -> bool:
        """True if the words after the street's kind are only listed acronyms ("5 jours
        sur 7, passage SSIAD", "place de la CAF"): an institution, no street."""
        names = [w for w in re.findall(r"[^\W\d_][\w'’\-]*", street)[1:] if w[0].isupper()]
        return bool(names) and all(w.isupper() and fold(w) in keep for w in names)

    def _up_to_postcode(self, text: str, end: int) -> Iterable[Span]:
        """ "12 rue des Tanneurs, bât. C, 3e étage, porte gauche, 80000 Amiens": what
        lies between a street and its postcode, on the same line, is the address."""
        rest = self.UP_TO_POSTCODE.match(text, end)
        if rest and not re.search(r"\.\s+[A-ZÀ-Þ][a-zà-ÿ]", rest.group(1)):
            # Each part on its own, so the commas between them stay readable.
            for part in re.finditer(r"[^,\s][^,]*[^,\s]|[^,\s]", rest.group(1)):
                yield rest.start(1) + part.start(), rest.start(1) + part.end(), 0.6

    def spans(self, text, nlp_artifacts):
        keep = keep_words()
        for m in self.HIGH_STREET.finditer(text):
            yield m.start(), m.end(), 0.85
        for m in self.ROAD.finditer(text):
            if self.RURAL_BEFORE.search(text[max(0, m.start() - 60) : m.start()]):
                yield m.start(), m.end(), 0.6
        for m in self.WITH_NUMBER.finditer(text):
            start, end = m.start(), _street_end(m)
            yield from self._up_to_postcode(text, end)
            # "14 chemin Lebon, Ravine des Cabris.": a locality closing the sentence.
            tail = self.LOCALITY_AFTER.match(text, end)
            if tail and not any(
                fold(w) in keep or fold(w) in _TITLES_FOLDED
                for w in re.findall(r"[^\W\d_][\w'’\-]*", tail.group(1))
                if w[0].isupper()
            ):
                yield tail.start(1), tail.end(1), 0.6
            # "5 jours sur 7, passage SSIAD": an institution after a number, not a street.
            # ("45 avenue de la République" is a street: only acronyms count here.)
            if self._acronyms_only(text[start:end], keep):
                continue
            yield start, end, 0.9
            yield from _district_after(text, end, 0.7)
        # "Paris 18e", "3e arrondissement", "Marseille 13ème": a district locates a home.
        for m in self.DISTRICT.finditer(text):
            yield m.start(), m.end(), 0.8
        for m in self.NAMED.finditer(text):
            # "dort dans la rue à Lorient": a street word then "à" and a town is where
            # the street is, no street's name (the town is the place recognizer's).
            if re.match(r"\S+[ \t\u00a0]+[àa][ \t\u00a0]", m.group()):
                continue
            start, end = m.start(), _street_end(m)
            # "condition de résidence de 3 mois": a duration, not a street number.
            if re.match(r"\s*(?:mois|ans?|jours?|semaines?|h\b|heures?)", text[end : end + 10]):
                continue
            # "passage du SSIAD", "place de la CAF": an institution, not a street name.
            # ("Résidence du Port" is a name: only acronyms count here.)
            if self._acronyms_only(text[start:end], keep):
                continue
            milestone = self.MILESTONE.match(text, end)
            # ("…, La Cour Blanche, 14100 Saint-Désir": a place's article after a comma.)
            article = self.ARTICLE_BEFORE_PLACE.search(text, max(0, start - 6), start)
            yield (
                article.start(1) if article else start,
                milestone.end() if milestone else end,
                0.75,
            )
            yield from _district_after(text, end, 0.7)
            # "lotissement Petit-Pérou, n° 23, 97139 Les Abymes".
            yield from self._up_to_postcode(text, end)
        # Lower-case street types ("Rue Victor Hugo" is covered; "rue victor hugo" is not
        # a name-word pattern): only with an address cue before.
        for m in self.NAMED_CI_HEAD.finditer(text):
            if m.group()[0].isupper():
                continue
            # "t1 rue de la gare à mondeville": a street of ordinary words is an address
            # when its town follows ("la rue à lorient", "place en crèche à brest" name
            # no street: a street word, then de/du/des, then a word).
            town = self.LOWER_STREET_TOWN.match(text, m.end())
            if (
                town
                and self.STREET_OF_WORDS.fullmatch(m.group())
                and self._known_town(town.group(2))
            ):
                yield m.start(), town.end(1), 0.55
                continue
            if _has_context(text, m.start(), self.ADDRESS_CONTEXT, 30):
                # "habite rue victor hugo": take the following words that are not common
                # French words ("résidence sociale" is a kind of housing, not an address).
                end, named = m.end(), False
                for w in re.finditer(r"\s+([\w'’\-]+)", text[m.end() : m.end() + 60]):
                    if w.start() != end - m.end():
                        break
                    word = w.group(1)
                    if fold(word) in ("de", "du", "des", "la", "le", "l'", "d'"):
                        end = m.end() + w.end()
                        continue
                    # ("place d'hébergement": the word after its elision.)
                    bare = re.sub(r"^[ld]['’]", "", word, flags=re.IGNORECASE)
                    if bare.casefold() in self.lexicon or fold(word) in keep:
                        break
                    end, named = m.end() + w.end(), True
                if named:
                    yield m.start(), end, 0.6
        # "un terrain chemin de la Fosse-aux-Loups": a lower-case street word followed by
        # a capitalised name that is not a French word is an address without a cue.
        for m in self.LOWER_HEAD_NAMED.finditer(text):
            names = re.findall(r"[^\W\d_][\w'’\-]*", m.group(1))
            capitals = [w for w in names if w[0].isupper()]
            # "en cours de SVT": no street is named by a bare acronym.
            if capitals and all(w.isupper() and len(w) <= 5 for w in capitals):
                continue
            # "le terrain du chemin des Vignes, 93000 Bobigny": right before its postcode,
            # a street named by words is a street.
            before_postcode = re.match(r",?[ \t]*\d{5}(?!\d)", text[m.end() : m.end() + 8])
            # ("(chemin de la Garrigue, Castanet-Tolosan)": or before its town.)
            town = self.TOWN_AFTER_STREET.match(text, m.end())
            before_postcode = before_postcode or (
                town is not None and self._known_town(town.group(1))
            )
            if capitals and (
                before_postcode
                or not any(
                    fold(w) in keep or w.casefold() in self.lexicon or fold(w) in _TITLES_FOLDED
                    for w in capitals
                )
            ):
                milestone = self.MILESTONE.match(text, m.end())
                yield m.start(), milestone.end() if milestone else m.end(), 0.7
        for m in self.FLOOR.finditer(text):
            # "3e étage sans ascenseur": how hard the home is to reach, a fact.
            if re.match(
                r"\s+(?:sans|avec|pas\s+d['’ ]?)\s*ascenseur", text[m.end() : m.end() + 20]
            ):
                continue
            # "bât. B, 3e étage, porte 12": a floor is an address part only next to another.
            before = text[max(0, m.start() - 40) : m.start()]
            around = before[-30:] + "|" + text[m.end() : m.end() + 20]
            if (
                self.COMPLEMENT.search(around)
                or re.search(
                    rf"(?i)r[ée]sidence|b[aâ]t|immeuble|\d\s*,?\s*(?:{_STREET_SAFE})\s", around
                )
                # "3 place Jean-Jaurès, 2e étage": right after a street named by capitals.
                or re.search(
                    rf"\d{{1,4}}[ \t]*,?[ \t]*(?i:{_STREET})[ \t]+[A-ZÀ-Þ][^,;\n]*,[ \t]*\Z", before
                )
            ):
                yield m.start(), m.end(), 0.5
        for m in self.COMPLEMENT.finditer(text):
            token = m.group().split()[-1]
            # "porte 3", "bât. C" are address parts; "appartement HLM", "T2" are not.
            if (any(c.isdigit() for c in token) and not re.fullmatch(r"[TF]\d", token)) or (
                len(token) == 1 and token.isupper()
            ):
                yield m.start(), m.end(), 0.6
        for m in self.POSTBOX.finditer(text):
            yield m.start(), m.end(), 0.7
        for m in self.FOREIGN_STREET.finditer(text):
            yield m.start(), m.end(), 0.6
        # Dictated: "au lieu-dit la croix blanche à coltines": the place's name, in lower
        # case, up to the town, a comma or the line's end.
        for m in self.LOCALITY_LOWER.finditer(text):
            yield m.start(), m.end(1), 0.6
        # "Adresse : Les Rosiers, bât. D, esc. 2, 115 chemin…, 13014 Marseille": on a
        # form's address line, every part before the postcode is the address.
        for m in self.ADDRESS_FIELD.finditer(text):
            for part in re.finditer(r"[^,\s][^,]*[^,\s]|[^,\s]", m.group(1)):
                # ("terrain familial", "maison à étage": a description, no name.)
                first = re.search(r"\d|(?<![\w])[A-ZÀ-Þ]", part.group())
                if first:
                    # ("foyer d'hébergement Jules-Ferry": the kind before the name stays.)
                    lead = first.start() if part.group()[0].islower() else 0
                    yield m.start(1) + part.start() + lead, m.start(1) + part.end(), 0.6
        for m in self.LOCALITY_KIND.finditer(text):
            name = m.group(m.lastindex or 1)
            if fold(name) not in keep and not self.lexicon.is_lemma(name):
                yield m.start(), m.end(), 0.6
        for m in self.TRAVELLERS_SITE.finditer(text):
            yield m.start(), m.end(), 0.6
        for m in self.SPELLED_STREET.finditer(text):
            yield m.start(), m.end(), 0.6
        for m in self.ADDRESS_LINE.finditer(text):
            value = m.group(1)
            if re.search(r"\d{5}|\s{3}|\t", value):
                continue  # (a postcode: the form above; wide gaps: the next field.)
            words = re.findall(r"[^\W\d_][\w'’\-]*", value)
            first = fold(words[0]) if words else ""
            # "Inconnue", "Hébergée chez sa sœur", "CCAS de Lens": no place of its own
            # is named (a town is its own recognizer's).
            if first in keep or first in _TITLES_FOLDED or first in ROLE_WORDS:
                continue
            if value[0].isdigit() or any(
                w[0].isupper()
                and fold(w) not in keep
                and fold(w) not in _TITLES_FOLDED
                and not self.lexicon.is_lemma(w)
                for w in words
            ):
                yield m.start(1), m.end(1), 0.55
        # "…, Section Calvaire, 97122 Baie-Mahault": a locality just before the postcode.
        for m in self.LOCALITY_BEFORE_POSTCODE.finditer(text):
            named = re.findall(r"[^\W\d_][\w'’\-]*", m.group(1))
            if not any(
                fold(w) in keep or fold(w) in _TITLES_FOLDED for w in named if w[0].isupper()
            ):
                yield m.start(1), m.end(1), 0.5
        # "bât. Sisley", "bâtiment Les Mimosas": a building named by a capitalised word.
        for m in self.NAMED_BUILDING.finditer(text):
            yield m.start(), m.end(), 0.6
        for m in self.ESTATE_LOWER.finditer(text):
            # ("hameau de puech arnal": a second word of no dictionary is the name's.)
            end = m.end()
            more = re.match(r"[ \t]([a-zà-ÿ][\w'’\-]{2,})(?![\w'’\-])", text[end : end + 30])
            if more and more.group(1).casefold() not in self.lexicon:
                end += more.end()
            yield m.start(), end, 0.5
        for m in self.BUILDING_LOWER.finditer(text):
            yield m.start(), m.end(), 0.5


class FrPostcodeRecognizer(FrenchRecognizer):
    ENTITY = "CODE_POSTAL"
    PATTERN = re.compile(r"(?<![\w,.\-])(?:[0-8]\d|9[0-8]|2[AB])\d{3}(?![\w]|[,.]\d)")
    CONTEXT = re.compile(r"(cp|code postal|adresse|cedex|rue|avenue|bd|chemin|allee|place)")
    AMOUNT_AFTER = re.compile(r"^\s?(?:€|eur|euros?|%|km|m²|m2|kg|habitants)", re.IGNORECASE)

    def spans(self, text, nlp_artifacts):
        for m in self.PATTERN.finditer(text):
            after = text[m.end() : m.end() + 12]
            if self.AMOUNT_AFTER.match(after):
                continue
            # "Cerfa n°15586": a form's number, public.
            if re.search(
                r"(?i)cerfa\s*(?:n\s?[°o]\.?\s*)?$", text[max(0, m.start() - 16) : m.start()]
            ):
                continue
            if re.match(r"\s+[A-ZÀ-Þ]", after):
                score = 0.9
            elif _has_context(text, m.start(), self.CONTEXT, 40):
                score = 0.85
            else:
                score = 0.5
            yield m.start(), m.end(), score


# --------------------------------------------------------------------------- names


# Words that introduce an institution, not a person ("orientation ADIL", "à la MDPH").
_INSTITUTION_LEAD = {
    "le",
    "la",
    "les",
    "l'",
    "au",
    "aux",
    "du",
    "des",
    "un",
    "une",
    "orientation",
    "vers",
    "a",
    "dossier",
    "demande",
    "par",
    "via",
    "saisine",
    "service",
    "dispositif",
}
# "Maxence (10 ans)", "grâce (fille, 15 ans)": a word followed by an age or a family role.
_PERSON_AFTER = re.compile(
    r"^\s*(?:[(,]\s*(?:\d{1,2}\s*(?:ans|mois)\b|fille|fils|m[èe]re|p[èe]re|fr[èe]re|s[œo]e?ur|"
    r"enfant|b[ée]b[ée]|n[ée]e? le|conjoint|compagne?|[ée]pou(?:x|se))"
    # "la petite shaïnez 16 ans traîne…": typed without commas, an age right after.
    r"|\d{1,2}\s?ans\b)",
    re.IGNORECASE,
)


# Listed towns that are also words after a preposition ("à sens unique", "au port").
# ("emploi de maçon", "du cognac", "jus d'orange": folded, a word meets the town.)
_AMBIGUOUS_TOWNS = frozenset(
    ["sens", "port", "fontaine", "lilas", "havre", "macon", "menton", "cognac", "pantin", "orange"]
)


def _line_of(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of the line holding text[start:end] (without its line break)."""
    line_end = text.find("\n", end)
    return text.rfind("\n", 0, start) + 1, len(text) if line_end < 0 else line_end


def _label(text: str, w: Word) -> bool:
    """ "Appelante : …", "Pt : …": a word right before a colon labels what follows
    (unless it is a known first name: "Awa : absente")."""
    return bool(re.match(r"[ \t]*:", text[w.end : w.end + 3])) and not w.registry_first


def _dotted(w: Word) -> bool:
    """An abbreviated title ("M.", "Mme.", "Dr.") keeps its dot mid-sentence; after
    "Monsieur" or "Madame" a dot ends the sentence ("pour Monsieur. Demande d'APA")."""
    return w.title and w.folded not in (
        "monsieur",
        "madame",
        "mademoiselle",
        "messieurs",
        "mesdames",
    )


# One-word answers quoted after "dit": speech, not a nickname ("il dit « non »").
_ANSWERS = frozenset(
    [
        "non",
        "oui",
        "jamais",
        "ok",
        "okay",
        "merci",
        "rien",
        "bof",
        "stop",
        "basta",
        "pardon",
        "voila",
    ]
)

# "93200 Saint-Denis": a postcode on the same line right before a town; not the end of a
# longer number ("Parquet n° 24.118.00532", "NIR : 243059924301817") before a new line.
_POSTCODE_BEFORE = re.compile(r"(?<![\d./\-])\d{5}[ \t\u00a0]*\Z")
# Verbs that are also surnames of the register, written after "Mme" in lower case:
# "Mme dort sur le canapé", "Mme demeure fragile", "Mme porte plainte".
_VERBS_AFTER_TITLE = frozenset(
    [
        "dort",
        "demeure",
        "reste",
        "part",
        "sort",
        "vit",
        "tient",
        "porte",
        "marche",
        "pleure",
        "rit",
        "boit",
        "mange",
        "ment",
        "crie",
        "court",
        "vient",
        "revient",
        "arrive",
        "parle",
        "pense",
        "souhaite",
        "garde",
        "passe",
        "paie",
        "paye",
        "perd",
        "gagne",
        "tombe",
        "monte",
        "descend",
        "rentre",
        "entre",
        "loge",
        "couche",
        "lave",
    ]
)
# Function words that open a sentence and no one bears ("Mme Si", "Mme Ma" are names).
_SENTENCE_OPENERS = frozenset(
    [
        "pas",
        "plus",
        "puis",
        "donc",
        "mais",
        "car",
        "ni",
        "rien",
        "aucun",
        "aucune",
        "il",
        "elle",
        "ils",
        "elles",
        "nous",
        "vous",
        "cela",
        "ce",
        "cette",
        "dans",
        "pour",
        "avec",
        "sans",
        "sur",
        "selon",
        "depuis",
    ]
)
# What follows "madame la", "monsieur le" when they address someone by office.
_ROLE_NOUNS = frozenset(
    [
        "juge",
        "directrice",
        "directeur",
        "maire",
        "presidente",
        "president",
        "procureur",
        "procureure",
        "prefet",
        "prefete",
        "substitut",
        "docteur",
        "docteure",
        "medecin",
        "commissaire",
        "ministre",
        "deputee",
        "depute",
        "conseillere",
        "conseiller",
        "cheffe",
        "chef",
        "responsable",
        "secretaire",
        "greffiere",
        "greffier",
        "avocate",
        "avocat",
        "senatrice",
        "senateur",
        "proviseur",
        "proviseure",
        "principale",
        "principal",
        "delegue",
        "deleguee",
        "adjointe",
        "adjoint",
        "notaire",
        "huissier",
        "curateur",
        "curatrice",
        "tuteur",
        "tutrice",
        "mandataire",
        "professeur",
        "professeure",
    ]
)
# Words that end a note on their own line ("Fin.", "Vu."), unlike "Dom." or "Fred.".
_NOTE_ENDINGS = frozenset(
    [
        "fin",
        "vu",
        "lu",
        "ok",
        "ras",
        "suite",
        "cf",
        "idem",
        "merci",
        "bon",
        "bien",
        "voir",
        "note",
        "rdv",
        "lol",
        "bises",
        "bisous",
        "cdt",
        "cdlt",
        "slt",
        "bye",
        "ciao",
        "stop",
        "urgent",
    ]
)
# "Fait au Port, le 8 novembre": the place a report is signed at.
_SIGNED_AT = re.compile(r"(?:^|\n)[ \t]*fait (?:à|a|au)\s*$", re.IGNORECASE)

# "née LE GALL", "épouse Martin", "(nom d'usage LE GOFF)": what follows is a surname.
_SURNAME_CUE = re.compile(
    r"(?i)(?:\bn[ée]e|\b[ée]pouse|\b[ée]p\.|\bveuve|\bvve|\bnom d['’]usage|"
    r"\bnom de naissance|\bnom de jeune fille|\bnom marital)[ \u00a0]*$"
)


def _is_namey(w: Word) -> bool:
    # "Pham Thi Mai": a capitalised first name that is also a month still belongs to a name.
    keep = w.keep and not (w.first_name and w.shape == "cap")
    return (
        w.shape in ("cap", "upper", "initial")
        and not keep
        and not w.title
        and not _has_digit(w)
        and not _camel(w)
    )


def _has_digit(w: Word) -> bool:
    # "T3", "R489", "E20417": a code or a flat type, never a name.
    return any(c.isdigit() for c in w.text)


def _camel(w: Word) -> bool:
    # "MaPrimeRénov", "LinkedIn", "PowerPoint": brands write capitals inside a word; names
    # do so once at most ("McDonald", "DeSouza"). "«DATE_NAISSANCE»": a template's field.
    t = w.text
    return "_" in t or sum(1 for a, b in pairwise(t) if a.islower() and b.isupper()) >= 2


# Words a capital letter completes: "permis B", "catégorie C", "bât. G", "classe A"
# (folded).
_LETTER_KIND = re.compile(
    r"permis|categorie|classe|type|niveau|groupe|annexe|bat|batiment|plan|option|"
    r"vitamine|hepatite|note|zone|secteur|escalier"
)


class FrPersonRecognizer(FrenchRecognizer):
    """Person names in the forms social workers write them.

    Seeds (each with its own score): a civility title before the word ("Mme B.",
    "M. N'DIAYE"), a known first name of any origin, an ALL-CAPS word that is not
    an acronym or a common word, a capitalised word mid-sentence that is not a
    French word, a word right after a family role ("son fils Kylian"), spaCy's
    PER entities. Seeds then grow over adjacent name words and particles
    ("Marie-Thérèse de La Fontaine", "DA SILVA Ana").
    """

    ENTITY = "PERSONNE"
    LOGIN_CELL = re.compile(
        r"\d{1,2}:\d{2}[ \t]*[|;][ \t]*([a-z][a-z0-9._\-]{3,24})[ \t]*(?=[|;(])"
    )
    # "« Pitbull » (ex-compagnon de Mme Weiss)": a quoted name explained by a family role.
    QUOTED_WITH_ROLE = re.compile(
        r"[«\"“][ \t]*([A-ZÀ-Þ][\w'’\-]{1,20})[ \t]*[»\"”][ \t]*\([ \t]*(?:ex-)?([\w\-]+)"
    )
    DASH_SIGNATURE = re.compile(
        r"(?m)^[ \t]*[–—-][ \t]*([A-ZÀ-Þ][a-zà-ÿ]{1,14}|[A-ZÀ-Þ]{2,3}|[A-ZÀ-Þ]\.[ -]?[A-ZÀ-Þ]\.)"
        r"(?:[ \t]*\([^()\n]{1,30}\))?[ \t]*(?=\n[ \t]*\n|\n?[ \t]*\Z)"
    )
    # "signé JB, veilleur", "Signé : M.-L. D.": initials after "signé" sign the entry.
    SIGNED_INITIALS = re.compile(
        r"(?<!\w)(?i:sign[ée]e?)(?:[ \t]+par|[ \t]*:)?[ \t]+"
        r"([A-ZÀ-Þ]{2,3}|[A-ZÀ-Þ]\.(?:[ -]?[A-ZÀ-Þ]\.){0,2})(?=[ \t]*(?:[,(\n]|\Z))"
    )
    # « Thomas dit "Titou" », « alias Bibi »: a nickname names the person as well.
    NICKNAME = re.compile(
        # ("l'appellent déjà « mimo »": an adverb may come between.)
        # "un certain « Papis »", "un dénommé Kiki": someone the writer only knows by name.
        rf"(?<!\w)(?i:{NICKNAME_CUE}|une? certaine?|(?:le|la|une?) d[ée]nomm[ée]e?)\s*"
        r"(?:(?i:d[ée]j[àa]|aussi|toujours|encore|tous|souvent)\s+)?"
        r"(?:[«\"“]\s*([^»\"”\n]{2,30}?)\s*[»\"”]|([A-Za-zÀ-ÿ][\w'’\-]{1,20})(?=\s*[,;.)\n]))"
    )
    # The jobs of the people who write and sign notes, as they sign them.
    _JOBS = (
        r"(?:ME|ES|AS|ASS|CESF|TISF|EJE|IDE|AES|AMP|CDS|psy|[ée]duc|"
        r"[ée]ducat(?:eur|rice)(?: sp[ée]cialis[ée]e?)?|moniteur[- ][ée]ducateur|"
        r"monitrice[- ][ée]ducatrice|stagiaire|veill(?:eur|euse)|assistante? soci(?:ale|al)|"
        r"infirmi[èe]re?|m[ée]diat(?:eur|rice)|r[ée]f[ée]rente?|intervenante?|"
        r"cheffe? de service|cadre(?: d['’]astreinte)?|conseill[èe]re?(?: sociale?| en insertion)?)"
    )
    NAME_AND_JOB = re.compile(
        # (At a line's start, or next in a list of those present: "…, Olive (stagiaire ES)".)
        r"(?im)(?:^|(?<=,)|(?<=\),))[ \t]*((?-i:[A-ZÀ-Þ]{1,2})\.[ \t]?)?((?-i:[A-ZÀ-Þ])[\w'’\-]{1,20})"
        r"[ \t]*(?:,|\(|–|-)[ \t]*"
        rf"{_JOBS}\b"
    )
    JOB_LABEL = re.compile(
        rf"(?i:\b{_JOBS})[ \t]*:[ \t]*([A-ZÀ-Þ]{{2,3}}(?![\w'’])|[A-ZÀ-Þ][a-zà-ÿ][\w'’\-]+)"
    )
    # "RÉDACTRICE : AMÉLIE FONTAINE-DIALLO, CESF", "Référente RSA : S. Martinez": who
    # wrote the note or follows the person, as a form's label gives it (a word such as
    # "RSA" may come before the colon).
    WRITER_LABEL = re.compile(
        rf"(?i:\b(?:{_JOBS}|r[ée]dact(?:eur|rice)|r[ée]dig[ée]e?\s+par))"
        r"(?:[ \t]+[A-Za-zÀ-ÿ]{2,6})?[ \t]*:[ \t]*"
        r"((?:[A-ZÀ-Þ]\.[ \t]?)?[A-ZÀ-Þ][\w'’\-]+(?:[ \t][A-ZÀ-Þ][\w'’\-]+){0,3})"
        r"(?=[ \t]*(?:,|\n|\Z|\(|[–—-]))"
    )
    NAME_WITH_AGE = re.compile(
        r"(?<![\w'’])([A-ZÀ-Þ][a-zà-ÿ][\w'’\-]*)[ \t]*(?:,|\()[ \t]*\d{1,2}[ \t]*(?:ans|mois)\b"
    )
    HOUSEHOLD_ITEM = re.compile(
        r"(?m)^[ \t]*(?:\d{1,2}[.)]|[-•*–])[ \t]*([A-ZÀ-Þ][\w'’\-]+)[ \t]*[(,:][ \t]*"
        r"(?:\d{1,2}[ \t]*(?:ans|mois)\b|n[ée]e?s?\b|arriv[ée]e?s?\b|scolaris[ée]e?s?\b)"
    )
    FRIEND_QUOTED = re.compile(
        r"(?i:\b(?:ami|copain|copine|pote|compagnon|compagne|cousin|voisin|coloc)e?s?)"
        r"\s*[«\"“]\s*([A-ZÀ-Þ][\w'’\-]{1,20})\s*[»\"”]"
    )
    FORM_FIELD = re.compile(
        r"(?im)(?<![\w])(?:nom(?: d['’]usage| de naissance| de jeune fille| marital| de famille)?|"
        r"pr[ée]noms?(?:\s*\(s\))?|surnom|alias)[ \t]*:[ \t]*(?:[«\"“][ \t]*)?"
        r"([A-ZÀ-Þ][\w'’\-]*(?:[ \t][A-Za-zÀ-ÿ][\w'’\-]*){0,3}?)(?:[ \t]*[»\"”])?"
        r"(?=[ \t]{2,}|[ \t]*(?:\n|$|,|;|–|—|\|)|[ \t]+(?:pr[ée]nom|n[ée]e?\b|date|sexe)\b)"
    )
    # A chat's export: "Steeve (coach) 19:32 : …", "Ti Jo 19:40 : …": who speaks, at a
    # line's start, before the time and a colon.
    CHAT_SPEAKER = re.compile(
        r"(?m)^[ \t>]*([A-ZÀ-Þ][\w'’\-]*(?:[ \t][A-ZÀ-Þ][\w'’\-]*){0,2})"
        r"(?:[ \t]*\([^()\n]{1,25}\))?[ \t]+\[?\d{1,2}[:h]\d{2}\]?[ \t]*:"
    )
    # A dated log: "08/01/2025 – OG : visite…", "21/03 08:12 – Fred (ESAT …) : …",
    # "03/02/2025 – JHP – RDV CER": who wrote the entry, after its date or time and a
    # dash, before a colon or another dash.
    LOG_WRITER = re.compile(
        r"(?m)^[ \t]*(?:\d{1,2}/\d{1,2}(?:/\d{2,4})?(?:[ \t]+\d{1,2}[:h]\d{2})?|\d{1,2}[:h]\d{2})"
        r"[ \t]*[–—-][ \t]*([A-ZÀ-Þ][\w'’\-]*(?:[ \t][A-ZÀ-Þ][\w'’\-]*){0,2})"
        r"(?:[ \t]*\([^()\n]{1,40}\))?[ \t]*(?::|[–—][ \t])"
    )
    # "le gardien (momo)", "son fils (kiki)": one bracketed word after someone's role.
    BRACKETED_AFTER_ROLE = re.compile(
        r"(?<![\w'’])([\w\-]+)[ \t]*\([ \t]*([A-Za-zÀ-ÿ][a-zà-ÿ'’\-]{2,20})[ \t]*\)"
    )
    # (Folded: the people around a home or a measure, beside the family's roles.)
    _HOUSE_ROLE = re.compile(
        r"gardien(?:ne)?|concierge|patron(?:ne)?|proprio|proprietaire|loge(?:ur|use)|"
        r"hebergeante?|tut(?:eur|rice)|cura(?:teur|trice)|coloc(?:ataire)?"
    )
    # "NOM VAN DER BERG   Prénom Saskia": a form's label without its colon, the value in
    # capitals up to the next field (a wide gap or "Prénom") or the line's end.
    FORM_FIELD_BARE = re.compile(
        r"(?m)(?<![\w])(?:NOM|Nom)[ \t]+([A-ZÀ-Þ][A-ZÀ-Þ'’\-]+(?:[ \t][A-ZÀ-Þ][A-ZÀ-Þ'’\-]*){0,3}?)"
        r"(?=[ \t]{2,}|[ \t]*(?:\n|$|\|)|[ \t]+(?i:pr[ée]nom)\b)"
    )
    # "À : Prince, Bastien <b.prince@udaf31.fr>", "De : LENOIR Claire <c.lenoir@…>": in a
    # mail header, what comes before an address in angle brackets is a person's name.
    MAIL_HEADER = re.compile(
        r"(?im)^[ \t>]*(?:de|à|a|cc|cci|from|to|envoy[ée] par)[ \t]*:[ \t]*"
        r"([^\s<:;,@][^<:;@\n]{1,60}?)[ \t]*<[^<>\s@]+@[^<>\s]+>"
    )
    GREETING = re.compile(
        r"(?im)^[ \t>]*(?:bonjour|bonsoir|salut|slt|coucou|hello|bjr|cc)[ \t,]+([^\W\d_][\w'’\-]*)"
        r"(?=[ \t]*(?:[,!\n]|$|c['’]?est|cest|ici|je|j['’]))"
    )
    LOWER_INITIAL = re.compile(
        r"(?<![\w.'’])[a-z]\.[ \u00a0]?([a-zà-ÿ][\w'’]*(?:-[a-zà-ÿ][\w'’]*)*)(?=\s*(?:[(,;)\n]|$))"
    )
    # The line after a closing formula of a mail or a letter is a signature.
    CLOSING = re.compile(
        r"(?im)^[^\n]{0,40}?(?:cordialement|bien [àa] (?:vous|toi)|salutations|amicalement|"
        r"bonne (?:journ[ée]e|soir[ée]e|semaine|fin de semaine|continuation)|[àa] bient[ôo]t|"
        r"bises|bisous|merci(?: d'avance| beaucoup)?)"
        r"[ ,.!]*\n[ \t]*(?=\S)"
    )

    MEDICATION_BEFORE = re.compile(
        r"(?:\bsous|traitement (?:par|de|:)|trait[ée]e? par|prescription (?:de|d')|"
        r"injections? (?:de|d')|comprim[ée]s? (?:de|d')|g[ée]lules? (?:de|d')|"
        r"relais (?:par|de)|switch (?:vers|pour)|\+)\s*$",
        re.IGNORECASE,
    )
    DOSE_AFTER = re.compile(
        r"^\s*(?:\d+(?:[,.]\d+)?\s*(?:mg|µg|ug|g|ml|ui|gouttes?|cp|gél)\b|LP\b|retard\b|"
        r"mensuel|injectable|[àa] (?:libération|action) prolong)",
        re.IGNORECASE,
    )

    def _medication(self, text: str, w: Word) -> bool:
        if w.first_name:
            return False
        return bool(
            self.MEDICATION_BEFORE.search(text[max(0, w.start - 30) : w.start])
            or self.DOSE_AFTER.match(text[w.end : w.end + 30])
        )

    def _signatures(self, text: str, view: TextView) -> Iterable[Span]:
        starts = {w.start: k for k, w in enumerate(view.words)}
        for m in self.CLOSING.finditer(text):
            k = starts.get(m.end())
            if k is None:
                continue
            if view.words[k].title:
                k += 1
            first = last = k
            while last < len(view.words) and last - first < 4:
                w = view.words[last]
                # "G. de Vaublanc": a particle between two parts of the signed name.
                particle = (
                    w.folded in PARTICLES
                    and last > first
                    and last + 1 < len(view.words)
                    and view.words[last + 1].shape in ("cap", "upper")
                )
                if (
                    (w.shape not in ("cap", "upper", "initial") and not particle)
                    or w.keep
                    or w.title
                ):
                    break
                if last > first and (
                    len(view.gap(last - 1, last)) > 2 or "\n" in view.gap(last - 1, last)
                ):
                    break
                last += 1
            if last > first:
                yield view.words[first].start, view.words[last - 1].end, 0.8

    def spans(self, text, nlp_artifacts):
        view = get_view(text, nlp_artifacts, self.lexicon)
        # Typed fast, an initial and a surname both in lower case: "c. dumas (AS)".
        for m in self.LOWER_INITIAL.finditer(text):
            surname = m.group(1)
            parts = [p for p in surname.split("-") if p]
            # Alone on its line, it signs the note even when the name is also a word
            # ("c.moreau").
            line_start, line_end = _line_of(text, m.start(), m.end())
            alone = not (text[line_start : m.start()].strip() or text[m.end() : line_end].strip())
            if (
                fold(surname) in keep_words()
                or fold(surname) in self.lexicon.stop_words
                or (all(self.lexicon.is_lemma(p) for p in parts) and not alone)
            ):
                continue
            yield m.start(), m.end(), 0.6
        # Forms: "Nom : GUEYE   Prénom : Ndeye Fatou", "Nom d'usage : DOS SANTOS".
        for m in (*self.FORM_FIELD.finditer(text), *self.FORM_FIELD_BARE.finditer(text)):
            value = m.group(1).rstrip(" ,;")
            if value and not all(
                fold(w) in keep_words() or fold(w) in self.lexicon.stop_words
                for w in re.findall(r"[^\W\d_][\w'’\-]*", value)
            ):
                yield m.start(1), m.start(1) + len(value), 0.85
        logged = list(self.LOG_WRITER.finditer(text))
        signed = Counter(m.group(1) for m in logged)
        for m in (*self.CHAT_SPEAKER.finditer(text), *logged):
            # ("Moi 19:32 :", "Réponse AS 10:05 :" name no one.)
            names = re.findall(r"[^\W\d_][\w'’\-]*", m.group(1))
            # Before a dash rather than a colon, the word may be the entry's kind
            # ("27/08/2024 – NAD – BENSAÏD Samira"): a writer gives a role or signs
            # more than one entry.
            if m.group().rstrip().endswith(("–", "—")) and not (
                "(" in m.group() or signed[m.group(1)] > 1
            ):
                continue
            if not all(
                fold(w) in keep_words()
                or fold(w) in _TITLES_FOLDED
                or fold(w) in self.lexicon.stop_words
                or (self.lexicon.is_lemma(w) and fold(w) not in registry_first_names())
                for w in names
            ):
                yield m.start(1), m.end(1), 0.7
        for m in self.BRACKETED_AFTER_ROLE.finditer(text):
            role, word = fold(m.group(1)), m.group(2)
            if (
                (role in ROLE_WORDS or self._HOUSE_ROLE.fullmatch(role))
                and fold(word) not in keep_words()
                and fold(word) not in self.lexicon.stop_words
                and fold(word) not in _ANSWERS
                and (fold(word) in registry_first_names() or word.casefold() not in self.lexicon)
            ):
                yield m.start(2), m.end(2), 0.6
        for m in self.NICKNAME.finditer(text):
            group = 1 if m.group(1) else 2
            value = m.group(group)
            # "elle se dit « dépassée »": a reflexive "se dire" reports a feeling.
            if re.search(r"(?i)\bs(?:e\s|['’])\s*$", text[max(0, m.start() - 4) : m.start()]):
                continue
            # Unquoted, a dictionary word is not a nickname ("il a dit Non", "m'a dit
            # l'avocat").
            bare_value = re.sub(r"^(?:l|d)['’]", "", value, flags=re.IGNORECASE)
            # After a cue that only ever names ("se fait appeler Pierrot", "alias Bouboule"),
            # a capitalised word is the nickname even when it is also a word.
            naming = value[0].isupper() and re.match(
                r"(?i)alias|surnomm|se\s+fai|connue?s?\s", m.group()
            )
            if (
                group == 2
                and not naming
                and (fold(value) in keep_words() or self.lexicon.is_lemma(bare_value))
            ):
                continue
            # Quoted after "dit", words are reported speech ("dit « ne plus y arriver »"),
            # unless they read like a name: one word (after an article) that is no
            # function word ("dit « la puce »"), or a capital after the first word
            # ("dit « Ti Claude »").
            quoted = value.split()
            # "l'appelle « maman »": a kinship word is what she is called, not a name;
            # capitalised after a name as files write it ("M. Florin STOICA dit « Bebe »",
            # not "Noé dit « Papa »"), it is his.
            after_name = value[0].isupper() and re.search(
                r"(?:\b(?:M\.|Mme|Monsieur|Madame)[ \t]+[^\W\d_][\w'’\- \t]{0,30}"
                r"|(?<![\w'’])[A-ZÀ-Þ]{2,}[ \t]*)$",
                text[max(0, m.start() - 40) : m.start()],
            )
            if len(quoted) == 1 and fold(value) in ROLE_WORDS and not after_name:
                continue
            bare = (
                quoted[1:] if len(quoted) > 1 and fold(quoted[0]) in ("le", "la", "les") else quoted
            )
            if group == 1 and not (
                (
                    len(bare) == 1
                    and fold(bare[0]) not in self.lexicon.stop_words
                    and fold(bare[0]) not in _ANSWERS
                )
                or any(q[:1].isupper() for q in quoted[1:])
            ):
                continue
            yield m.start(group), m.end(group), 0.8
        yield from self._signatures(text, view)
        # "Fred — fred.pairaidant@gmail.com": a word of the same line that the address
        # spells is the person's name, whatever it looks like.
        if "@" in text:
            for m in FrEmailRecognizer.PATTERN.finditer(text):
                local = m.group().split("@", 1)[0]
                parts = {fold(p) for p in re.split(r"[._+\-\d]+", local) if len(p) >= 3}
                line_start, line_end = _line_of(text, m.start(), m.end())
                for w in view.words:
                    if (
                        line_start <= w.start < line_end
                        and not (m.start() <= w.start < m.end())
                        and w.folded in parts
                        and not (w.keep or w.stop or w.title)
                        and (w.shape != "lower" or not w.common)
                    ):
                        yield w.start, w.end, 0.7
        # "RAS pour le reste. B." at the very end of a note: an initial signs it.
        tail = re.search(
            # ("M-C. L.": a compound first name's initials.)
            r"(?:^|[.!?\n][ \t]*)((?:[A-ZÀ-Þ]-)?[A-ZÀ-Þ]\.(?:[ -]?[A-ZÀ-Þ]\.)?)[ \t]*\Z",
            text.rstrip(),
        )
        if tail:
            yield tail.start(1), tail.end(1), 0.6
        # "… à l'accueil du CCAS. – JM": the writer's initials after a dash end the note.
        # ("– F.M.", and "MLK" alone on the last line.)
        dashed = re.search(
            # ("RAS sinon. JL": after the last sentence too.)
            r"(?:[–—-][ \t]*|(?:^|\n)[ \t]*|[.!?][ \t]+)"
            r"([A-ZÀ-Þ]{2,3}|[A-ZÀ-Þ]\.[ -]?[A-ZÀ-Þ]\.)[ \t]*\Z",
            text.rstrip(),
        )
        if dashed and fold(dashed.group(1)) not in keep_words():
            yield dashed.start(1), dashed.end(1), 0.6
        for m in self.SIGNED_INITIALS.finditer(text):
            if fold(m.group(1).replace(".", "")) not in keep_words():
                yield m.start(1), m.end(1), 0.6
        # A transmission book: each entry signed on a line of its own after a dash, then a
        # blank line ("— Seb (veilleur)", "— NB"); a dashed list runs on without one.
        for m in self.DASH_SIGNATURE.finditer(text):
            token = m.group(1)
            folded = fold(token.replace(".", ""))
            initials = token.isupper() or "." in token
            if (
                folded in _NOTE_ENDINGS
                or folded in self.lexicon.stop_words
                # Initials may be a short listed word ("NB"), not a longer acronym; a
                # first name is listed as one or is no dictionary word.
                or (initials and len(folded) > 2 and folded in keep_words())
                or (
                    not initials
                    and (
                        folded in keep_words()
                        or (folded not in registry_first_names() and self.lexicon.is_lemma(token))
                    )
                )
            ):
                continue
            yield m.start(1), m.end(1), 0.6
        for m in self.QUOTED_WITH_ROLE.finditer(text):
            if fold(m.group(2)) in ROLE_WORDS and fold(m.group(1)) not in keep_words():
                yield m.start(1), m.end(1), 0.7
        # A software's history: "03/06/2024 14:02 | sabdelnour | Entretien": the cell
        # after the time is the login of whoever wrote the entry.
        for m in self.LOGIN_CELL.finditer(text):
            login = m.group(1)
            parts = [p for p in re.split(r"[._\-]", login) if p]
            # ("lever-fauteuil": a care act in a table, words joined.)
            if fold(login) not in keep_words() and not all(self.lexicon.is_lemma(p) for p in parts):
                yield m.start(1), m.end(1), 0.6
        # "… transmission à Sonia.\nDom." alone on the last line: a shortened first name
        # ("Dom.", "Fred.", "Cath.") signs the note; a word ("Fin.", "Vu.") does not.
        short = re.search(r"(?:^|\n)[ \t]*([A-ZÀ-Þ][a-zà-ÿ]{1,4})\.[ \t]*\Z", text.rstrip())
        if short:
            stem = fold(short.group(1))
            if (
                stem not in _NOTE_ENDINGS
                and stem not in self.lexicon.stop_words
                and any(
                    name.startswith(stem) and len(name) > len(stem) + 1
                    for name in registry_first_names()
                )
            ):
                yield short.start(1), short.end(1) + 1, 0.6
        # "slt moussa cest lea", "Bonjour Awa,": who a message greets is a person.
        for m in self.GREETING.finditer(text):
            w = next((x for x in view.words if x.start == m.start(1)), None)
            if w is not None and not (w.stop or w.keep or w.title) and len(w.text) > 2:
                yield w.start, w.end, 0.6
        # "3. Blanche (arrivée le 2 mai)", "- Rose (8 ans)": a list of the household, each
        # item a first name with its age or arrival, even a first name that is a word.
        for m in self.HOUSEHOLD_ITEM.finditer(text):
            name = m.group(1)
            folded = fold(name)
            if folded not in keep_words() and (
                folded in registry_first_names()
                or folded in first_names()
                or not self.lexicon.is_lemma(name)
            ):
                yield m.start(1), m.end(1), 0.7
        # "Seb, ME", "Léa (IDE)": at a line's start, a name given with the writer's job.
        for m in self.NAME_AND_JOB.finditer(text):
            name = m.group(2)
            folded = fold(name)
            # ("AM. Poli – ASS": after initials even a word is the surname.)
            if not (
                folded in keep_words()
                or folded in self.lexicon.stop_words
                or folded in TITLES
                or (
                    not m.group(1)
                    and self.lexicon.is_lemma(name)
                    and folded not in registry_first_names()
                )
            ):
                yield m.start(1) if m.group(1) else m.start(2), m.end(2), 0.6
        # "éduc : JB", "cadre d'astreinte : M. FERRAND": the worker named after a label.
        for m in self.JOB_LABEL.finditer(text):
            value = m.group(1)
            if fold(value) not in keep_words() and not self.lexicon.is_lemma(value):
                yield m.start(1), m.end(1), 0.6
        for m in self.WRITER_LABEL.finditer(text):
            names = re.findall(r"[^\W\d_][\w'’\-]+", m.group(1))
            # A name, not a service ("Référente : CCAS de Lens", "Rédacteur : Service AEMO").
            if not any(fold(w) in keep_words() for w in names) and not all(
                w.casefold() in self.lexicon for w in names
            ):
                yield m.start(1), m.end(1), 0.7
        # "et Alpha, 2 ans": a first name that is also a listed word, given an age.
        for m in self.NAME_WITH_AGE.finditer(text):
            folded = fold(m.group(1))
            # (Listed in a sentence, "et Alpha, 2 ans"; never "en France, 3 ans".)
            listed = re.search(
                r"(?:^|[,;:(]|\bet|\bou)[ \t]*\Z", text[max(0, m.start() - 6) : m.start()]
            )
            if (
                listed
                and folded in keep_words()
                and (folded in first_names() or folded in registry_first_names())
            ):
                yield m.start(1), m.end(1), 0.6
        # "son ami « Papis »": a friend's name in quotes, one capitalised word.
        for m in self.FRIEND_QUOTED.finditer(text):
            value = m.group(1)
            # (Quoted and capitalised, a word is the nickname: "son ami « Tonton »".)
            if fold(value) not in keep_words():
                yield m.start(1), m.end(1), 0.7
        for m in self.MAIL_HEADER.finditer(text):
            # "service social <accueil@…>", "CCAS <…>" are desks, not people.
            if any(
                not (w.casefold() in self.lexicon or fold(w) in keep_words())
                for w in re.findall(r"[^\W\d_][\w'’\-]*", m.group(1))
            ):
                yield m.start(1), m.end(1), 0.85
        words = view.words
        n = len(words)
        score = [0.0] * n

        def adjacent(i: int, j: int) -> bool:
            gap = view.gap(i, j)
            # ("Foch   Code postal": three spaces part a form's fields.)
            if len(gap) > 3 or "\n" in gap or "   " in gap:
                return False
            rest = gap.strip(" \u00a0-")
            # A dot joins words only after an initial or a title ("J. Diallo", "M. Diallo"),
            # never across a sentence end ("3 enfants. Ressources").
            return rest == "" or (
                rest == "." and (words[i].shape == "initial" or _dotted(words[i]))
            )

        # Words of a lettered section's title ("D. VIE QUOTIDIENNE"): never a name.
        headings: set[int] = set()
        for i, w in enumerate(words):
            if _has_digit(w) or _camel(w):
                continue
            # A title's name follows it on the same line ("Madame,\n> Suite à…" is not one).
            prev = (
                words[i - 1]
                if i > 0
                and (
                    adjacent(i - 1, i)
                    or (
                        words[i - 1].title
                        and not view.gap(i - 1, i).strip(
                            " .\u00a0\t" if _dotted(words[i - 1]) else " \u00a0\t"
                        )
                    )
                )
                else None
            )
            role = (
                prev is not None
                and prev.folded in ROLE_WORDS
                and prev.folded not in ("et", "avec", "chez")
            )
            if role and w.shape == "cap" and not w.title:
                # "sa fille Mai", "son fils Noël": after a family role a capital is a name.
                score[i] = max(score[i], 0.6)
                continue
            # "Sa mère, Nénette, accepte": a capital set off by commas right after a role.
            if (
                i > 0
                and w.shape == "cap"
                and not (w.keep or w.title or w.stop)
                and words[i - 1].folded in ROLE_WORDS
                and words[i - 1].folded not in ("et", "avec", "chez", "famille", "couple")
                and (
                    (view.gap(i - 1, i) == ", " and text[w.end : w.end + 1] in (",", ")"))
                    # "Enfant : Azur TRAN": a role as a form label.
                    or (
                        view.gap(i - 1, i).strip() == ":"
                        and i + 1 < n
                        and words[i + 1].shape == "upper"
                        and not words[i + 1].keep
                    )
                )
            ):
                score[i] = max(score[i], 0.6)
                continue
            # "M. Noël Pascal", "Mme France Gautier", "M. Portugal": after a title, a
            # capitalised listed word (a holiday, a country) is a name.
            if (
                prev is not None
                and prev.title
                and w.keep
                and w.shape == "cap"
                and not (w.stop or w.title)
                and not view.gap(i - 1, i).strip(
                    ". \u00a0"
                )  # not "Madame, Monsieur", "M. : Toyota"
            ):
                score[i] = max(score[i], 0.9)
                continue
            # "Mme de Saint-Aubin", "M. du Plessis", "mme da silva": after a title, lower-case
            # particles and the word after them are a name ("Mme de nouveau absente" is not:
            # a lower-case French word needs a capital).
            if prev is not None and prev.title and w.shape == "lower" and w.folded in PARTICLES:
                k = i + 1
                if k < n and words[k].folded in PARTICLES and adjacent(i, k):
                    k += 1
                if k < n and adjacent(k - 1, k):
                    name = words[k]
                    if (
                        not (name.stop or name.keep or name.title or _has_digit(name))
                        and len(name.text) > 2
                        and (
                            name.shape in ("cap", "upper")
                            or not name.common
                            # "monsieur la pierre dit…", but "madame la juge".
                            or (
                                (name.surname or name.registry_first)
                                and name.folded not in _ROLE_NOUNS
                                and name.folded not in _VERBS_AFTER_TITLE
                                # ("pr la halte de nuit": "pr" is "pour" as often as
                                # "professeur".)
                                and prev.folded.rstrip(".") not in ("pr", "me")
                            )
                        )
                    ):
                        for m in range(i, k + 1):
                            score[m] = max(score[m], 0.9)
                        continue
            # "née LE GALL", "épouse Martin", "nom d'usage LE GOFF": a surname follows.
            if (
                (
                    w.shape in ("cap", "upper")
                    # "mme kaya (née öztürk)": typed in lower case, a word of no
                    # dictionary ("née prématurée", "née le", "née sourde" stay).
                    or (w.shape == "lower" and not w.common and len(w.text) > 2)
                )
                and not (w.keep or w.title or (w.stop and w.folded not in PARTICLES))
                and len(w.text) > 1
                and _SURNAME_CUE.search(text[max(0, w.start - 25) : w.start])
            ):
                k = i
                if w.folded in PARTICLES and k + 1 < n and adjacent(k, k + 1):
                    k += 1
                if words[k].shape in ("cap", "upper", "lower") and not words[k].keep:
                    for m in range(i, k + 1):
                        score[m] = max(score[m], 0.85)
                    continue
            # "mme d'almeida": the particle is glued to the name after a title.
            if (
                i >= 2
                and words[i - 1].folded == "d'"
                and view.gap(i - 1, i) == ""
                and words[i - 2].title
                and not w.stop
                and not w.keep
                and len(w.text) > 2
                # "Madame d'accord pour le plan": the phrase.
                and w.folded != "accord"
            ):
                score[i] = max(score[i], 0.9)
                score[i - 1] = max(score[i - 1], 0.9)
                continue
            if w.title or (w.keep and w.shape != "initial"):
                continue
            # "Monsieur Le Directeur", "Madame La Présidente": an article before a function
            # is no name ("M. Le Goff" is: "Goff" is not a French word).
            nxt = words[i + 1] if i + 1 < n and adjacent(i, i + 1) else None
            if (
                prev is not None
                and prev.title
                and w.folded in ("le", "la", "les")
                and nxt is not None
                and nxt.keep
                and not nxt.first_name
            ):
                continue
            if (
                (
                    w.shape == "cap"
                    or (w.shape == "lower" and (w.first_name or w.registry_first or not w.common))
                    # "les 2 enfants prince 6 ans": dictated, a child named by a word.
                    or (
                        w.shape == "lower"
                        and i > 0
                        and view.gap(i - 1, i) == " "
                        and words[i - 1].folded in ("enfants", "enfant", "fils", "fille", "filles")
                        and w.folded not in ROLE_WORDS
                    )
                )
                and not w.stop
                and len(w.text) > 2
                and _PERSON_AFTER.match(text[w.end : w.end + 20])
            ):
                score[i] = max(score[i], 0.65)
                continue
            # "… pour M. Pas de droits CAF": a sentence ended on the title; a function
            # word opens the next one (particles stay names: "M. Le Goff").
            new_sentence = (
                w.folded in _SENTENCE_OPENERS
                and w.shape == "cap"
                and nxt is not None
                and nxt.shape == "lower"
            )
            if (
                prev is not None
                and prev.title
                and not new_sentence
                and (
                    w.shape != "lower"
                    or (
                        not w.stop
                        and adjacent(i - 1, i)
                        and (not w.common or w.surname or w.first_name or w.registry_first)
                        and w.folded not in _VERBS_AFTER_TITLE
                    )
                )
            ):
                # After a title even a lower-case common word is a name ("mr dupont",
                # "mme blanc": surnames of the register), unless it is a function word
                # ("Mme est venue") or a French word no one bears ("Mme explique").
                score[i] = max(score[i], 0.95)
                continue
            if w.shape == "initial":
                # "I. CADRE DE LA MESURE", "V. Conclusion": a section number, not an initial.
                heading = w.sent_start and w.text in ("I", "V", "X") and nxt is not None
                # "D. VIE QUOTIDIENNE ET BESOINS": a lettered section, its title in
                # capitals made of French words.
                if w.sent_start and i + 2 < n and not heading:
                    following = [
                        x for x in words[i + 1 : i + 4] if "\n" not in text[w.end : x.start]
                    ]
                    heading = (
                        len(following) >= 2
                        and all(x.shape == "upper" for x in following)
                        and sum(x.common and not x.surname for x in following) >= 2
                    )
                    if heading:
                        headings.add(i)
                        k = i + 1
                        while (
                            k < n
                            and "\n" not in text[w.end : words[k].start]
                            and words[k].shape == "upper"
                        ):
                            headings.add(k)
                            k += 1
                # At a line start an initial alone is a list or answer mark ("R. CAP
                # cuisine", "Q3."); before a name it joins that name when it grows.
                # ("H. de Saint-Aubin": a particle may come between.)
                named = nxt
                if (
                    nxt is not None
                    and nxt.folded in PARTICLES
                    and nxt.shape == "lower"
                    and i + 2 < n
                    and adjacent(i + 1, i + 2)
                ):
                    named = words[i + 2]
                name_next = (
                    named is not None
                    and named.shape in ("cap", "upper")
                    and not named.keep
                    and (not named.common or named.surname or named.first_name)
                )
                # "le logement classé en G. La propriétaire…": a letter ending a sentence
                # before a capitalised article and a word ("Mme B. Le Goff" is a name).
                # ("le permis B. Dort chez des copains": a licence's or a class's letter.)
                category = (
                    i > 0
                    and _LETTER_KIND.fullmatch(words[i - 1].folded) is not None
                    and view.gap(i - 1, i) in (" ", ". ")
                )
                sentence_end = category or (
                    nxt is not None
                    and nxt.shape == "cap"
                    and nxt.folded in self.lexicon.stop_words
                    and text[w.end : w.end + 1] == "."
                    and (i + 2 >= n or words[i + 2].shape == "lower")
                )
                if (
                    w.text != "M"
                    and not heading
                    and not sentence_end
                    and (not w.sent_start or name_next)
                ):
                    score[i] = max(score[i], 0.6)
                continue
            if w.shape in ("cap", "upper") and w.first_name:
                # "Grâce au transport solidaire": a first name that is a word, opening a
                # sentence before "à", is the word.
                if (
                    w.sent_start
                    and nxt is not None
                    and nxt.text.casefold() in ("à", "au", "aux")  # not "Grâce a 3 ans"
                    and self.lexicon.is_lemma(w.text)
                ):
                    continue
                score[i] = max(score[i], 0.85)
                continue
            # "Pieter", "Moussa": a first name of the register that the lexicon knows only
            # as an odd inflection (not a dictionary word) is a name.
            # "Écoutant : Bernard (bénévole)": after a label's colon, even a first name
            # that is also a word.
            after_label = i > 0 and view.gap(i - 1, i).strip() == ":"
            if (
                w.shape == "cap"
                and w.registry_first
                and w.common
                and (not self.lexicon.is_lemma(w.text) or after_label)
                and len(w.text) > 2
            ):
                score[i] = max(score[i], 0.5 if w.sent_start else 0.7)
                continue
            # "CHARPENTIER Blanche", "Rose LEFEBVRE": a surname in capitals next to a
            # first name of the register is a name, even when both are also words.
            # ("1;LEROY;Jacqueline;…", "LEROY, Jacqueline": a table's cells, a list.)
            pair = nxt
            if (
                pair is None
                and i + 1 < n
                and "\n" not in view.gap(i, i + 1)
                and view.gap(i, i + 1).strip(" \t") in (";", "|", ",")
            ):
                pair = words[i + 1]
            if pair is not None and {w.shape, pair.shape} == {"cap", "upper"}:
                given, surname = (w, pair) if w.shape == "cap" else (pair, w)
                if (
                    (given.first_name or given.registry_first)
                    and not given.keep
                    and not surname.keep
                    and len(surname.text) >= 3
                    and not _has_digit(surname)
                ):
                    score[i] = max(score[i], 0.7)
                    continue
            # Short all-caps words are mostly acronyms (CDAPH, EMPP): need spaCy's PER too.
            after_article = i > 0 and words[i - 1].folded in _INSTITUTION_LEAD
            if (
                w.shape == "upper"
                and not w.common
                and (len(w.text) > 5 or (w.ent == "PER" and not after_article))
            ):
                score[i] = max(score[i], 0.75 if len(w.text) > 5 else 0.55)
                continue
            if w.shape == "cap" and not w.common and self._medication(text, w):
                continue  # "stabilisée sous Xeplion", "Lantus 20 UI": a medicine
            if w.shape == "cap" and not w.common:
                if not w.sent_start and not (
                    _label(text, w)
                    and re.search(r"[—–-][ \t]*$", text[max(0, w.start - 4) : w.start])
                ):
                    score[i] = max(score[i], 0.7)
                    continue
                # "Appelante : Nathalie Carré": a line's first word before a colon is a
                # label, unless it is a known first name.
                if _label(text, w):
                    continue
                # At a sentence start, an unknown capitalised word ("Avis", "Logt") needs
                # another clue: spaCy's entity, or a name word right after it.
                nxt = words[i + 1] if i + 1 < n and adjacent(i, i + 1) else None
                if (
                    w.unseen
                    or w.surname
                    or w.ent in ("PER", "LOC", "ORG")
                    or (nxt is not None and nxt.shape in ("cap", "upper") and not nxt.keep)
                    # "veilleur : Dominique ; éduc d'astreinte : Teva.": a value after a
                    # label's colon, on the same line.
                    or (i > 0 and view.gap(i - 1, i).strip() == ":")
                ):
                    score[i] = max(score[i], 0.5)
                    continue
            if (
                w.shape == "lower"
                and (w.first_name or w.registry_first)
                and not w.common
                and not w.keep
                and len(w.text) > 2
            ):
                score[i] = max(score[i], 0.6)
                continue
            # "galère avec stéph", "rdv chez kader": typed in lower case, a word that is
            # neither French nor listed, right after "avec" or "chez", is someone.
            if (
                w.shape == "lower"
                and i > 0
                and words[i - 1].folded in ("avec", "chez")
                and view.gap(i - 1, i) == " "
                and not (w.common or w.keep or w.stop or w.commune or w.city)
                and len(w.text) > 2
            ):
                score[i] = max(score[i], 0.5)
                continue
            if (
                role
                and w.shape == "lower"
                and not w.keep
                and (not w.common or ((w.first_name or w.registry_first) and not w.stop))
                # ("Famille adoptante : M. …": a label.)
                and not re.match(r"[ \t]*:", text[w.end : w.end + 3])
            ):
                score[i] = max(score[i], 0.6)
                continue
            if w.ent == "PER" and w.shape in ("cap", "upper") and not w.sent_start:
                score[i] = max(score[i], 0.55)

        # Grow seeds over adjacent name words and particles.
        for k in headings:
            score[k] = 0.0
        masked = [s > 0 for s in score]

        def take(k: int, value: float) -> None:
            masked[k] = True
            score[k] = value

        changed = True
        while changed:
            changed = False
            for i in range(n):
                if not masked[i]:
                    continue
                j = i + 1  # to the right: surname after first name, initials, particles
                if j < n and not masked[j] and adjacent(i, j):
                    w = words[j]
                    trailing_initial = w.shape == "initial" and (
                        j + 1 >= n or not adjacent(j, j + 1) or not _is_namey(words[j + 1])
                    )
                    lower_surname = (
                        w.shape == "lower"
                        and words[i].shape == "lower"
                        and not w.common
                        and not w.keep
                        and len(w.text) > 2
                    )
                    # "Sacha NOËL": a listed word in capitals after a first name is the
                    # surname when the register knows it as one.
                    listed_surname = (
                        w.shape == "upper"
                        and w.keep
                        and w.surname
                        and (words[i].first_name or words[i].registry_first)
                        and words[i].shape == "cap"
                    )
                    # "Tutelia Hérault": a département ending a name is part of it.
                    territory = (
                        w.shape == "cap"
                        and words[i].shape == "cap"
                        and not words[i].keep
                        and w.folded in wide_territories()
                    )
                    if (
                        (_is_namey(w) and (w.shape != "cap" or not w.sent_start))
                        or trailing_initial
                        or lower_surname
                        or territory
                        or listed_surname
                    ):
                        take(j, score[i])
                        changed = True
                    elif (
                        # "monsieur nguyen van thanh": typed in lower case, a particle
                        # and a word that is not French continue the name.
                        w.folded in PARTICLES
                        and words[i].shape == "lower"
                        and j + 1 < n
                        and adjacent(j, j + 1)
                        and words[j + 1].shape == "lower"
                        and not words[j + 1].common
                        and not words[j + 1].keep
                        and not words[j + 1].stop
                        and len(words[j + 1].text) > 2
                    ):
                        take(j, score[i])
                        take(j + 1, score[i])
                        changed = True
                    elif (
                        # "kevin lemaire dit tonton", "Mehdi alias Bibi": after a name,
                        # the word after "dit" is a nickname, even a dictionary word
                        # (not after "appelle": "Sophie appelle demain").
                        w.folded in ("dit", "dite", "alias")
                        and j + 1 < n
                        and adjacent(j, j + 1)
                        and not masked[j + 1]
                        # "Désiré dit vouloir…": a verb is what he says, not a nickname.
                        and not (
                            words[j + 1].shape == "lower"
                            and re.search(r"(?:er|ir|oir|re)$", words[j + 1].folded)
                            and self.lexicon.is_lemma(words[j + 1].text)
                        )
                        and words[j + 1].shape in ("lower", "cap")
                        and not words[j + 1].stop
                        and not words[j + 1].keep
                        and not words[j + 1].title
                        and len(words[j + 1].text) > 2
                    ):
                        take(j + 1, min(score[i], 0.7))
                        changed = True
                    elif w.folded in PARTICLES and j + 1 < n and adjacent(j, j + 1):
                        k = j + 1
                        # "de La Rochefoucauld": a particle may follow a particle.
                        if words[k].folded in PARTICLES and k + 1 < n and adjacent(k, k + 1):
                            k += 1
                        # ("Marie de Lyon" is a place; "G. de Vaublanc" a name.)
                        if _is_namey(words[k]) and (
                            not words[k].city or words[i].shape == "initial"
                        ):
                            for m in range(j, k + 1):
                                take(m, score[i])
                            changed = True
                # "KOWALCZYK (agnieszka)": a word alone in brackets right after a name is
                # the rest of that name, whatever its case, unless it is a French word.
                # "kenza (la puce)": a nickname in brackets with its article.
                if (
                    j + 1 < n
                    and not masked[j + 1]
                    and view.gap(i, j).strip() == "("
                    and words[j].folded in ("la", "le", "l'")
                    and words[j + 1].shape in ("lower", "cap")
                    and not (words[j + 1].stop or words[j + 1].keep or words[j + 1].title)
                    and text[words[j + 1].end : words[j + 1].end + 1] == ")"
                    and not view.gap(j, j + 1).strip()
                ):
                    take(j + 1, min(score[i], 0.6))
                    changed = True
                # "N'GUESSAN Josiane (« Jojo »)": the same for a quoted nickname.
                if (
                    j < n
                    and not masked[j]
                    and view.gap(i, j).replace(" ", "").replace("\u00a0", "")
                    in ("(", "(«", '("', "(“")
                    and len(view.gap(i, j)) <= 5
                    # The bracket closes on the word, or goes on with a comment after a
                    # comma or a closing quote ("(jess, comme elle signe)", "(« Titi »
                    # pour ses parents)").
                    and (
                        re.match(r"[ \u00a0]*[»\"”]?[ \u00a0]*\)", text[words[j].end :])
                        or (
                            re.match(r"[ \u00a0]*[»”\"]|,", text[words[j].end :])
                            and ")" in text[words[j].end : words[j].end + 60]
                        )
                    )
                    and words[j].shape in ("cap", "upper", "lower")
                    and not (words[j].shape == "upper" and len(words[j].text) <= 4)  # "(CPE)"
                    and not words[j].keep
                    and not words[j].stop
                    and not words[j].title
                    # Quoted, even a dictionary word is a nickname ("(« Jojo »)").
                    and (
                        words[j].first_name
                        or not words[j].common
                        or any(q in view.gap(i, j) for q in '«"“')
                    )
                    and len(words[j].text) > 2
                ):
                    take(j, min(score[i], 0.7))
                    changed = True
                # "Maxence et Capucine": a capital word joined by "et" to a name is a name.
                if (
                    j + 1 < n
                    and words[j].folded in ("et", "ou")
                    and words[i].shape in ("cap", "upper")
                    and adjacent(i, j)
                    and adjacent(j, j + 1)
                    and not masked[j + 1]
                    and words[j + 1].shape == "cap"
                    and not words[j + 1].keep
                    and not words[j + 1].title
                    and not words[j + 1].city
                ):
                    take(j + 1, min(score[i], 0.6))
                    changed = True
                # "(Pieter et Anneke)": the same, leftwards.
                if (
                    i >= 2
                    and words[i - 1].folded in ("et", "ou")
                    and words[i].shape in ("cap", "upper")
                    and adjacent(i - 1, i)
                    and adjacent(i - 2, i - 1)
                    and not masked[i - 2]
                    and words[i - 2].shape == "cap"
                    and (words[i - 2].first_name or words[i - 2].registry_first)
                    and not words[i - 2].keep
                    and not words[i - 2].title
                    and not words[i - 2].city
                    and not words[i - 2].sent_start
                ):
                    take(i - 2, min(score[i], 0.6))
                    changed = True
                j = i - 1  # to the left: ALL-CAPS surnames, unknown words, particles
                if j >= 0 and not masked[j] and adjacent(j, i):
                    w = words[j]
                    if (
                        (
                            # "eleve : anrafa soilihi": typed in lower case, a word that is
                            # not French before a lower-case name is its first name.
                            w.shape == "lower"
                            and words[i].shape == "lower"
                            and not w.common
                            and not w.keep
                            and not w.stop
                            and not w.title
                            and len(w.text) > 2
                        )
                        or (
                            _is_namey(w)
                            and (
                                w.shape in ("upper", "initial")
                                or not w.common
                                or w.first_name
                                or (w.registry_first and not w.sent_start)
                                # "Prune Ollivier" opening a signature line: a register
                                # first name before a surname that is no French word.
                                or (
                                    w.registry_first
                                    and w.shape == "cap"
                                    and words[i].shape in ("cap", "upper")
                                    and not words[i].common
                                )
                            )
                        )
                        # « Petit Mo », « Ti Jo »: a capital opening the quoted nickname,
                        # even a listed word.
                        or (
                            w.shape == "cap"
                            and not (w.title or w.stop)
                            and text[max(0, w.start - 2) : w.start].strip() in ("«", "“", '"')
                        )
                        or (w.folded in PARTICLES and w.shape in ("cap", "upper"))
                    ):
                        take(j, score[i])
                        changed = True
                    elif (
                        w.folded in PARTICLES
                        and j > 0
                        and adjacent(j - 1, j)
                        and words[j - 1].folded in PARTICLES
                        and words[j - 1].shape in ("cap", "upper")
                    ):
                        take(j, score[i])
                        take(j - 1, score[i])
                        changed = True
                # "Bibi (Bilal HADDAD)": a capitalised word right before a bracketed name
                # is that person's nickname.
                if (
                    j >= 0
                    and not masked[j]
                    and view.gap(j, i) == " ("
                    and words[j].shape == "cap"
                    and not (words[j].keep or words[j].title or words[j].stop)
                    and words[j].folded not in ROLE_WORDS  # "Papa (Johan)"
                    and len(words[j].text) > 2
                ):
                    k = i
                    while k + 1 < n and masked[k + 1] and adjacent(k, k + 1):
                        k += 1
                    if text[words[k].end : words[k].end + 1] == ")":
                        take(j, min(score[i], 0.7))
                        changed = True
        for k in headings:
            masked[k] = False
        i = 0
        while i < n:
            if not masked[i]:
                i += 1
                continue
            j = i
            while j + 1 < n and masked[j + 1] and adjacent(j, j + 1):
                j += 1
            end = words[j].end
            if words[j].shape == "initial":
                end += 1  # keep the initial's dot inside the mask: "B."
            # "P.J. : attestation": the letter's enclosures, not someone's initials.
            if not (
                re.fullmatch(r"P\.\s?J\.?", text[words[i].start : end])
                and re.match(r"\s*:", text[end:])
            ):
                yield words[i].start, end, max(score[i : j + 1])
            i = j + 1


# --------------------------------------------------------------------------- places, organisations


def _cap_run(
    view: TextView, i: int, allow_common: bool, allow_keep: bool = False, keep_start: bool = False
) -> int:
    """Index of the last word of a place/organisation name starting at word i, or -1."""
    words = view.words
    n = len(words)
    if i >= n:
        return -1
    w = words[i]
    if w.shape not in ("cap", "upper") or (w.keep and not (keep_start and w.shape == "cap")):
        return -1
    if w.title:
        return -1
    last = i
    j = i + 1
    while j < n:
        gap = view.gap(j - 1, j)
        # (Three spaces part a form's fields: "rue du Mal Foch   Code postal".)
        # ("Maisons & Cités": an ampersand joins a firm's words.)
        if "\n" in gap or gap.strip(" \u00a0-&") != "" or "   " in gap:
            break
        if "&" in gap and words[j].shape not in ("cap", "upper"):
            break
        nw = words[j]
        # A département may end a name ("La Maison de l'Orne", "Tutelia Hérault").
        if (
            nw.shape in ("cap", "upper")
            and not nw.title
            and (
                not nw.keep or (allow_keep and nw.shape == "cap") or nw.folded in wide_territories()
            )
        ):
            last = j
            j += 1
            continue
        if (
            nw.folded
            in (
                "sur",
                "sous",
                "les",
                "lès",
                "les",
                "en",
                "de",
                "du",
                "des",
                "d'",
                "la",
                "le",
                "l'",
                "et",
                "aux",
                "au",
            )
            and j + 1 < n
        ):
            # "Le Relais de l'Erdre", "Foyer de la Source": "de la", "de l'" link too.
            link_end = j
            if (
                nw.folded in ("de", "d'")
                and j + 2 < n
                and words[j + 1].folded in ("la", "l'")
                and words[j + 1].shape == "lower"
                and not view.gap(j, j + 1).strip()
            ):
                link_end = j + 1
            nxt = words[link_end + 1]
            gap2 = view.gap(link_end, link_end + 1)
            if (
                nxt.shape in ("cap", "upper")
                # "hôtel Le Relais du Mail": a listed word may end an establishment's name.
                and (
                    not nxt.keep
                    or nxt.folded in wide_territories()
                    or (allow_keep and nxt.shape == "cap")
                )
                and "\n" not in gap2
                and gap2.strip() == ""
            ):
                last = link_end + 1
                j = link_end + 2
                continue
        # "Pas à Pas", "L'Arbre à Palabres", "Aide à Domicile": "à" links two words of a
        # name; before a town it ends the name ("Les Tilleuls à Vannes").
        if nw.text == "à" and j + 1 < n:
            # "Services à la Personne": "à la", "à l'" link as well.
            link_end = j
            if (
                j + 2 < n
                and words[j + 1].text in ("la", "l'", "l’")
                and not view.gap(j, j + 1).strip()
            ):
                link_end = j + 1
            nxt = words[link_end + 1]
            gap2 = view.gap(link_end, link_end + 1)
            if (
                nxt.shape == "cap"
                and (
                    nxt.folded == words[j - 1].folded  # "Pas à Pas", "Main à Main"
                    or (
                        not (nxt.city or nxt.title)
                        # ("Personne" is a pronoun elsewhere, a sector's name here.)
                        and (not nxt.stop or nxt.folded == "personne")
                        # "Services à Domicile": a listed word, not a country or département.
                        and not (
                            nxt.keep
                            and (nxt.folded in wide_territories() or nxt.folded in countries()[0])
                        )
                    )
                )
                and "\n" not in gap2
                and gap2.strip() == ""
            ):
                last = link_end + 1
                j = link_end + 2
                continue
        break
    if not allow_common and all(
        view.words[k].common and not view.words[k].city
        for k in range(i, last + 1)
        if view.words[k].shape != "lower"
    ):
        return -1
    return last


_HOME_WITH_ARTICLE = re.compile(
    r"(?i)(?<![\w'’])(?:habit(?:e|ent|ait)|domicili[ée]e?s?|r[ée]sid(?:e|ent|ait))[ \t]+"
    r"((?-i:la|le|les|l['’]))[ \t]*\Z"
)


class FrPlaceRecognizer(FrenchRecognizer):
    """Cities and places of residence or birth ("née à Oran", "CMP de Saint-Denis", "93200 Saint-Denis")."""

    ENTITY = "VILLE"
    BEFORE_DEPARTMENT = re.compile(
        r"(?<![\w'’\-])[A-ZÀ-Þ][\w'’]*(?:[\-][A-Za-zÀ-ÿ][\w'’]*)*"
        # ("Le Port (La Réunion)": or the overseas département by its name.)
        rf"(?=\s?\(\s?(?:{_DEPARTMENT}|(?:La |l['’])?(?:Réunion|Guadeloupe|Martinique|"
        r"Guyane|Mayotte))\s?\))"
    )

    # A form's town field: "CP : 97430   Commune : Le Tampon", "Ville de naissance : Oran".
    TOWN_FIELD = re.compile(
        r"(?im)(?<![\w])(?:commune|ville|localit[ée]|lieu de naissance|ville de naissance)"
        r"(?:[ \t]+de r[ée]sidence)?[ \t]*:[ \t]*"
        r"((?-i:[A-ZÀ-Þ])[\w'’\-]*(?:[ \t](?-i:[A-ZÀ-Þ])[\w'’\-]*){0,3})"
        r"(?=[ \t]{2,}|[ \t]*(?:\n|$|,|;|\(|\|))"
    )
    # Dictated: "12390 rignac", "97410 st-pierre" typed in lower case after its postcode.
    LOWER_AFTER_POSTCODE = re.compile(
        r"(?<![\d,.])\d{5}[ \t]+((?:(?:la|le|les)[ \t]|l['’])?([a-zà-ÿ][a-zà-ÿ'’\-]{2,}))(?![\w])"
    )

    def spans(self, text, nlp_artifacts):
        for m in self.TOWN_FIELD.finditer(text):
            if fold(m.group(1)) not in keep_words():
                yield m.start(1), m.end(1), 0.8
        for m in self.LOWER_AFTER_POSTCODE.finditer(text):
            town = m.group(2)
            if fold(town) in communes() and town.casefold() not in self.lexicon:
                yield m.start(1), m.end(1), 0.6
        view = get_view(text, nlp_artifacts, self.lexicon)
        words = view.words
        for i, w in enumerate(words):
            # "en L3 de chimie", "en T2": a code with a digit is no town; nor is a
            # word with a capital inside ("sur ViaTrajectoire", a web service).
            if (
                w.shape not in ("cap", "upper")
                or len(w.text) < 2  # "Vit D à donner": a vitamin, no town
                or w.title
                or _has_digit(w)
                or re.search(r"[a-zà-ÿ][A-ZÀ-Þ]", w.text)
            ):
                continue
            # Multi-word names may start with an article: "La Courneuve", "Le Blanc-Mesnil".
            start_i = i
            if i > 0 and words[i - 1].folded in ("le", "la", "les") and words[i - 1].shape == "cap":
                start_i = i - 1
            before = text[max(0, words[start_i].start - 40) : words[start_i].start]
            prev = words[start_i - 1].folded if start_i > 0 else ""
            # "qui habite la Borie Neuve à Brusque": a home named with its article.
            home = (
                _HOME_WITH_ARTICLE.search(
                    text, max(0, words[start_i].start - 40), words[start_i].start
                )
                if start_i == i
                else None
            )
            strong = (
                bool(PLACE_CUES.search(before))
                or bool(BIRTH_PLACE_CUE.search(before))
                or bool(_POSTCODE_BEFORE.search(before))
                or home is not None
            )
            after_postcode = bool(_POSTCODE_BEFORE.search(before))
            # A compound of listed words is kept ("Franco-Algérien"), but after a place
            # cue it is a town the register does not hold ("décédé au Cap-Haïtien"); a
            # listed town is one after its postcode or in "Fait au Port, le…".
            if w.keep and not (
                (strong and "-" in w.text and w.folded not in keep_words())
                or (w.city and (after_postcode or _SIGNED_AT.search(before)))
            ):
                continue
            # "hospitalisé en SPDT", "demande de RQTH": a short acronym is not a town
            # unless the register knows it ("PAU") or a strong cue says so.
            if w.shape == "upper" and len(w.text) <= 5 and not (w.commune or w.city or strong):
                continue
            if w.city or strong or _SIGNED_AT.search(before):
                # "97420 Le Port": after a postcode, a listed word is part of the town.
                last = _cap_run(
                    view, i, allow_common=True, allow_keep=after_postcode, keep_start=w.keep
                )
                if last >= 0:
                    first = home.start(1) if home else words[start_i].start
                    yield first, words[last].end, 0.9 if strong else 0.85
                    yield from _district_after(text, words[last].end, 0.6)
                continue
            # "rentrée sur Quimperlé hier", "Hasparren": a commune of the INSEE register
            # that is not a French word, even without a cue ("Bonnes", "Tours" need one).
            # ("Saint-Benoît", "Sainte-Marie": a saint's town even where the tables hold
            # the saint.)
            # ("la Saint-Jean" is a feast day.)
            saint = w.folded.startswith(("saint-", "sainte-")) and w.shape == "cap" and prev != "la"
            if w.commune and (not w.common or saint) and not w.first_name and len(w.text) > 2:
                last = _cap_run(view, i, allow_common=True)
                if last >= 0:
                    yield words[start_i].start, words[last].end, 0.6
                    yield from _district_after(text, words[last].end, 0.6)
                    continue
            # "assistante familiale au Tampon", "né aux Abymes": "au"/"aux" hold the
            # article of a town named with "Le"/"Les".
            if (
                prev in ("au", "aux")
                and w.shape == "cap"
                and not w.sent_start
                and w.folded in masculine_communes()
                # ("au Palais", "au Syndicat": a word first, unless the town is big.)
                and w.commune >= (15000 if w.common else 1000)
                and not view.gap(start_i - 1, start_i).strip()
            ):
                yield w.start, w.end, 0.6
                continue
            # "CADA Les Glycines – Tulle": a header's town after a dash, ending its line.
            if (
                start_i == i
                and w.shape == "cap"
                and w.commune
                and not w.keep
                and (not w.common or w.commune >= 1000)
                and (
                    re.search(r"\S[ \t]+[–—-][ \t]+\Z", text[max(0, w.start - 60) : w.start])
                    # ("SYNTHÈSE – CADA Les Hirondelles, Guéret": after a comma, a town of
                    # some size.)
                    or (
                        w.commune >= 5000
                        and re.search(r"\S,[ \t]+\Z", text[max(0, w.start - 60) : w.start])
                    )
                )
                and re.match(r"[ \t]*(?:\n|\Z|\()", text[w.end : w.end + 3])
            ):
                yield w.start, w.end, 0.55
                continue
            # "CMP Les Bambous – Le Tampon", "né à La Possession": a town named with its
            # article, both capitalised mid-sentence (never a heading's "La Garde :").
            if (
                start_i == i - 1
                and w.shape == "cap"
                and not words[start_i].sent_start
                and not view.gap(start_i, i).strip()
                and f"{words[start_i].folded} {w.folded}" in article_communes()
                and (not w.common or w.commune >= 2000)
            ):
                yield words[start_i].start, w.end, 0.6
                continue
            if prev in PLACE_PREPOSITIONS and not w.first_name:
                # "à⏎Le CER signé…": an article before an acronym the register does not
                # hold is a noun phrase ("le CER", "la CAF"), whatever the preposition.
                nxt = words[i + 1] if i + 1 < len(words) else None
                if (
                    w.folded in ("le", "la", "les")
                    and nxt is not None
                    and nxt.shape == "upper"
                    and len(nxt.text) <= 5
                    and not (nxt.commune or nxt.city)
                ):
                    continue
                if (
                    w.common
                    and w.commune >= 1000
                    and w.shape == "cap"
                    and not w.sent_start
                    and not view.gap(start_i - 1, start_i).strip()
                ):
                    # "rentrée sur Landerneau", "à Orange": a town that is also a word,
                    # capitalised mid-sentence right after its preposition.
                    last = _cap_run(view, i, allow_common=True)
                    yield words[start_i].start, words[max(last, i)].end, 0.6
                    continue
                last = _cap_run(view, i, allow_common=False)
                if last >= 0 or w.ent == "LOC":
                    last = max(last, i)
                    yield words[start_i].start, words[last].end, 0.75
                continue
            if w.ent == "LOC" and not w.common and not w.sent_start:
                yield w.start, w.end, 0.6
        # "Saint-Benoît (974)", "Vitré (35)": capitalised words before a department code.
        for m in self.BEFORE_DEPARTMENT.finditer(text):
            k = next((idx for idx, w in enumerate(words) if w.start == m.start()), None)
            if k is None or words[k].title:
                continue
            # ("Le Port (974)": a listed word is the town with its article.)
            named = (
                k > 0
                and words[k - 1].shape == "cap"
                and f"{words[k - 1].folded} {words[k].folded}" in article_communes()
            )
            if words[k].keep and not named:
                continue
            yield words[k - 1].start if named else m.start(), m.end(), 0.8
        yield from self._after_a(view)
        yield from self._lower_compound(view)
        # Notes typed fast write towns in lower case: "à la gare de brest", "(lorient)",
        # "vit à saint-jean-de-braye", "sorti de fleury".
        for i, w in enumerate(words):
            if w.shape != "lower" or w.keep or w.stop or len(w.text) < 3:
                continue
            saint = re.match(r"(?:saint|sainte|st|ste)-\w", w.folded) is not None
            # A listed town counts unless it is also a word people write after "à" ("à sens
            # unique"); spaCy's tables call many towns words ("quimper", "lille").
            # Right after a postcode, a commune is a town whatever else it is.
            # ("ligne": spaCy's tables lack the lemma but hold the plural.)
            word = (
                w.folded in _AMBIGUOUS_TOWNS
                if w.city
                else (w.common or w.text.casefold() + "s" in self.lexicon)
            )
            # ("à coltines 15170": dictated, the postcode may come after the town.)
            after_postcode = bool(
                _POSTCODE_BEFORE.search(text[max(0, w.start - 12) : w.start])
            ) or bool(re.match(r"[ \t]+\d{5}(?![\d,.])", text[w.end : w.end + 8]))
            if not (w.city or w.commune or saint) or (word and not saint and not after_postcode):
                continue
            # The register holds short odd names ("Sem", "Eu"): a lower-case commune
            # that is not a known town needs its preposition right before it.
            if (
                not w.city
                and not saint
                and (len(w.text) < 4 or i == 0 or view.gap(i - 1, i).strip())
            ):
                continue
            before = text[max(0, w.start - 40) : w.start]
            prev = words[i - 1].folded if i > 0 else ""
            # "MDS caen rive droite", "CCAS lorient": a listed service's acronym right
            # before a known town names its local office.
            after_service = (
                w.city
                and not w.common
                and i > 0
                and words[i - 1].shape == "upper"
                and words[i - 1].keep
                and view.gap(i - 1, i) == " "
            )
            if (
                prev in PLACE_PREPOSITIONS
                or after_service
                or before.endswith("(")
                or PLACE_CUES.search(before)
                or _POSTCODE_BEFORE.search(before)
            ):
                yield w.start, w.end, 0.6
                yield from _district_after(text, w.end, 0.6)
            elif saint and w.text.casefold() not in self.lexicon:
                # "la résidence saint-marc": a saint's name in lower case is a place name
                # (its parts may be words, "marc"; the whole is not, unlike "saint-bernard").
                yield w.start, w.end, 0.5
            elif (
                w.commune >= 5000
                and not w.common
                and not w.first_name
                and len(w.text) >= 5
                # spaCy's tables lack some lemmas ("ligne") but hold their plural.
                and w.text.casefold() + "s" not in self.lexicon
            ):
                # "bat B montreuil": a town of some size whose name is no French word
                # needs no cue, even in lower case.
                yield w.start, w.end, 0.5

    def _lower_compound(self, view: TextView) -> Iterable[Span]:
        """ "01000 bourg en bresse", "née à aix en provence": typed in lower case without
        hyphens, words that join into a commune of the register ("bourg-en-bresse") after
        a postcode or a place preposition are a town, even if each one is a word."""
        words = view.words
        towns = communes()
        for i, w in enumerate(words):
            if w.shape != "lower" or i == 0:
                continue
            before = view.text[max(0, w.start - 12) : w.start]
            if not (
                re.search(r"\d{5}[ \u00a0]+$", before)
                or (words[i - 1].folded in PLACE_PREPOSITIONS and not view.gap(i - 1, i).strip())
            ):
                continue
            best = -1
            # "à la roche sur yon": the register keeps the article apart ("roche-sur-yon").
            first = i + 1 if w.folded in ("la", "le", "les") else i
            for last in range(first + 1, min(i + 6, len(words))):
                if words[last].shape != "lower" or view.gap(last - 1, last) not in (" ", "-"):
                    break
                joined = "-".join(x.folded for x in words[first : last + 1])
                if towns.get(joined, 0) >= 1:
                    best = last
            if best > 0:
                yield w.start, words[best].end, 0.6

    def _after_a(self, view: TextView) -> Iterable[Span]:
        """ "vit a mutsamudu", "à choungui": typed without capitals, a word that is neither
        French nor a name we know, right after "à" (or "a" without its accent), is a place."""
        words = view.words
        for i, w in enumerate(words[1:], start=1):
            if (
                w.shape == "lower"
                and words[i - 1].folded in ("a", "à")
                and not view.gap(i - 1, i).strip()
                and not w.common
                and not w.keep
                and not w.stop
                and not w.first_name
                and len(w.text) >= 4
                and w.folded not in territories()
                # "à recontrôler", "à réévaluer": an infinitive the tables lack (a prefix
                # added to a verb they know).
                and not (
                    re.search(r"(?:er|ir)$", w.folded)
                    and re.sub(r"^(?:re|ré|r|dé|de|pré|pre|sur|sous|co)", "", w.text)
                    in self.lexicon
                    and not w.commune
                )
            ):
                yield w.start, w.end, 0.45
            # "né à hai phong", "à ho chi minh": a short first word of a foreign town
            # counts with a second one that is no French word either.
            elif (
                w.shape == "lower"
                and words[i - 1].folded in ("a", "à")
                and not view.gap(i - 1, i).strip()
                and i + 1 < len(words)
                and view.gap(i, i + 1) == " "
                and len(w.text) >= 2
                and all(
                    x.shape == "lower" and not (x.common or x.keep or x.stop or x.first_name)
                    for x in (w, words[i + 1])
                )
                and len(words[i + 1].text) >= 3
            ):
                yield w.start, words[i + 1].end, 0.45


# Kinds of places whose *name* locates a person. One alternative per entry, so the
# longest can be tried first ("hôtel social" before "hôtel").
_ORG_HEADS = [
    r"[ée]cole(?:\s+(?:maternelle|[ée]l[ée]mentaire|primaire|priv[ée]e))?",
    r"coll[èe]ge",
    r"lyc[ée]e(?:\s+(?:professionnel|agricole|polyvalent))?",
    r"cr[èe]che",
    r"halte-garderie",
    r"foyer",
    r"chrs",
    r"cada",
    r"huda",
    r"mecs",
    r"ime",
    r"itep",
    r"esat",
    r"sessad",
    r"cmpp?",
    r"camsp",
    r"ehpad",
    r"h[ôo]pital",
    r"epsm",
    r"chs",
    r"chu",
    r"chru",
    r"centre hospitalier universitaire",
    r"centre hospitalier sp[ée]cialis[ée]",
    r"samsah",
    r"savs",
    r"fam",
    r"mas",
    r"cattp",
    r"maison de retraite",
    r"clinique",
    r"maternit[ée]",
    r"centre hospitalier",
    r"centre social",
    r"maison de quartier",
    r"association",
    r"asso",
    r"chantier d'insertion",
    r"atelier chantier d'insertion",
    r"association tut[ée]laire",
    r"entreprise d['’]insertion",
    r"coop[ée]rative(?:\s+agricole|\s+laiti[èe]re)?",
    r"entreprise adapt[ée]e",
    r"association interm[ée]diaire",
    r"r[ée]gie de quartier",
    r"chantier",
    r"csapa",
    r"caarud",
    r"saad",
    r"ssiad",
    r"spasad",
    # (A CCAS is its town's; an intercommunal one is named after its territory.)
    r"cias",
    r"had",
    r"(?-i:CH)",  # centre hospitalier, in capitals only ("ch." is a room)
    r"gaec",
    r"earl",
    r"scea",
    r"entreprise",
    r"soci[ée]t[ée]",
    r"restaurant",
    r"auto-[ée]cole(?:\s+(?:sociale|associative|solidaire))?",
    r"banque",
    r"boulangerie",
    # Any trade in "-erie" before its capitalised name ("la distillerie Grand Coude").
    # (Not a public office: "intervenante sociale en gendarmerie (ISG)".)
    r"(?!gendarmerie|tr[ée]sorerie)[a-zà-ÿ]{3,}eries?",
    r"blanchisserie",
    r"pressing",
    r"laverie",
    r"boucherie",
    r"charcuterie",
    r"[ée]picerie",
    r"poissonnerie",
    r"brasserie",
    r"pizzeria",
    r"librairie",
    r"carrosserie",
    r"menuiserie",
    r"imprimerie",
    r"transports",
    r"supermarch[ée]",
    r"garage",
    r"pension de famille",
    r"h[ôo]tel",
    r"h[ôo]tel social",
    r"camping",
    r"auberge",
    r"club",
    r"paroisse",
    r"mosqu[ée]e",
    r"[ée]glise",
    r"agence",
    r"cabinet",
    r"pharmacie",
    r"salon",
    r"boutique",
    r"usine",
    r"institut",
    r"internat",
    r"campus",
    r"universit[ée]",
    r"ifsi",
    r"greta",
    r"cfa",
    r"mission locale",
    r"ccas",
    r"caf",
    r"cpam",
    r"mds",
    r"mdsi",
    r"pmi",
    r"maison des solidarit[ée]s",
    r"centre m[ée]dico-psychologique",
    r"mairie",
    r"tribunal",
    r"accueil de jour",
    r"lieu de vie",
    r"r[ée]sidence sociale",
    r"centre d'h[ée]bergement",
    r"maison d'enfants",
    r"pouponni[èe]re",
    r"service",
    r"dispositif",
    r"structure",
    r"lieu d'accueil",
    r"espace",
    r"employeur",
    r"bailleur",
    r"p[ôo]le",
    r"plateforme",
    r"relais",
    r"point accueil",
    r"accueil",
]


# Words that may follow a lower-case establishment name (dictated notes spell the
# punctuation out: "point", "virgule").
# The words of housing firms' names ("Logis Métropole", "Atlantique Habitat Solidaire"):
# with them, even French words make the name.
_HOUSING_FIRM_WORDS = frozenset(["Logis", "Habitat", "Habitation", "Immobilière", "Immobiliere"])
_TIME_NOUNS = frozenset(
    ["nuit", "journee", "matinee", "soiree", "semaine", "veille", "fois", "suite", "rentree"]
)
_NAME_END_WORDS = frozenset(
    ["point", "virgule", "à", "a", "et", "depuis", "où", "ou", "pour", "pr", "en"]
)


# "chez Net'Services 93", "Sud Logistique 13": the département number after a firm's name.
_DEPARTMENT_AFTER = re.compile(rf"[ \u00a0]{_DEPARTMENT}{_NOT_A_QUANTITY}")


def _department_tail(text: str, end: int) -> int:
    """The end of a firm's name with the département number after it, if there is one."""
    m = _DEPARTMENT_AFTER.match(text, end)
    return m.end() if m else end


class FrOrganisationRecognizer(FrenchRecognizer):
    """Named places that locate a person: a school, an employer, a foyer, "CMP de Saint-Denis".

    Only the *name* is masked; the kind of place stays readable ("collège
    <ORGANISATION_1>", "CMP de <VILLE_1>") because the summary needs it.
    """

    ENTITY = "ORGANISATION"
    # Longest heads first, so "hôtel social" wins over "hôtel".
    HEAD = re.compile(
        r"(?<![\w])(?:" + "|".join(sorted(_ORG_HEADS, key=len, reverse=True)) + r")(?![\w])",
        re.IGNORECASE,
    )
    WORKSHOP = re.compile(
        r"(?:atelier )?chantier d['’]insertion|entreprise d['’]insertion", re.IGNORECASE
    )
    QUOTED = re.compile(r"^\s*(?:«\s*|\"|“)([^»\"”\n]{2,60})(?:\s*»|\"|”)")
    # "Son employeur (Transports Kaya SARL)": a bracket or colon may come before the name.
    # Company names are often made of ordinary institutional words ("Métropole Habitat").
    # Hospitals are often named after a physician whose name is also a disease
    # ("EPSM Charcot", "hôpital Esquirol").
    KEEP_START = re.compile(
        r"bailleur|employeur|entreprise|soci[ée]t[ée]|association|agence|cabinet|"
        r"h[ôo]pital|epsm|chs|chu|chru|centre hospitalier(?: \w+)?|clinique",
        re.IGNORECASE,
    )
    EMPLOYER = re.compile(
        r"(?:travaill\w*|employ[ée]e?s?|salari[ée]e?s?|embauch[ée]e?s?|int[ée]rim\w*|stage|"
        r"cdi|cdd|apprentissage|alternance|contrat|emploi|poste|m[ée]nage|intervien\w*)\s+"
        r"(?:\w+\s+){0,2}?(?:chez|pour|par|au sein de|dans l['’]entreprise|à la soci[ée]t[ée]|à)\s+$",
        re.IGNORECASE,
    )

    # Heads of establishments whose names are often "article + lower-case words + de + Name".
    NAMED_LEAD_HEADS = re.compile(
        r"esat|ime|itep|foyer|ehpad|chrs|mecs|cada|huda|sessad|cr[èe]che|[ée]cole(?:\s+\w+)?|"
        r"coll[èe]ge|lyc[ée]e(?:\s+\w+)?|association|restaurant|r[ée]sidence sociale|"
        r"pension de famille|lieu de vie|maison d'enfants|centre social|camping|h[ôo]tel",
        re.IGNORECASE,
    )

    def _lowercase_lead(self, view: TextView, k: int, head: str) -> int | None:
        words = view.words
        if not self.NAMED_LEAD_HEADS.fullmatch(head) or k >= len(words):
            return None
        if words[k].folded not in ("le", "la", "les", "l'") or words[k].shape != "lower":
            return None
        j = k + 1
        count = 0
        while j < len(words) and count < 2:
            w = words[j]
            if "\n" in view.gap(j - 1, j) or view.gap(j - 1, j).strip():
                return None
            if w.shape != "lower" or w.stop or w.folded in ("de", "du", "des", "d'"):
                break
            count += 1
            j += 1
        if count == 0 or j >= len(words) or words[j].folded not in ("de", "du", "des", "d'"):
            return None
        if j + 1 >= len(words) or view.gap(j, j + 1).strip():
            return None
        last = _cap_run(view, j + 1, allow_common=False)
        if last < 0 or words[j + 1].keep:
            return None
        return words[last].end

    @staticmethod
    def _lowercase_name(view: TextView, k: int) -> int | None:
        """ "la clinique les fontaines", "l'ehpad les jardins de loire", "la résidence
        saint-marc": typed in lower case, a name right after the kind of place is "les"
        and a plural noun (a pronoun would take a verb: "le foyer les héberge"), or a
        saint's name."""
        words = view.words
        w = words[k]
        if w.shape != "lower":
            return None
        if re.match(r"(?:saint|sainte|st|ste)-[^\W\d_]", w.folded):
            return w.end
        # "l'école jules-ferry", "collège jean-moulin": named after someone.
        parts = w.folded.split("-")
        if len(parts) >= 2 and parts[0] in first_names():
            return w.end
        # "gaec la borie haute à marcolès": "le"/"la" and one or two words, then "à" and
        # a known town (a time, "au foyer la nuit à Lyon", is no name).
        if w.folded in ("le", "la") and k + 3 < len(words):
            j = k + 1
            while (
                j < min(k + 3, len(words))
                and words[j].shape == "lower"
                and not words[j].stop
                and view.gap(j - 1, j) == " "
            ):
                j += 1
            if (
                j > k + 1
                and j + 1 < len(words)
                and words[j].folded in ("a", "à")
                and view.gap(j - 1, j) == " "
                and words[k + 1].folded not in _TIME_NOUNS
                and (words[j + 1].city or (words[j + 1].commune and not words[j + 1].common))
            ):
                return words[j - 1].end
        if w.folded != "les" or k + 1 >= len(words) or view.gap(k, k + 1) != " ":
            return None
        noun = words[k + 1]
        if noun.shape != "lower" or noun.stop or len(noun.text) < 4 or noun.folded[-1] not in "sx":
            return None
        last = k + 1
        # "les jardins de loire", "les tilleuls d'argent": one more word after de/du/des.
        if (
            k + 3 < len(words)
            and words[k + 2].folded in ("de", "du", "des", "d'")
            and view.gap(k + 1, k + 2) == " "
            and view.gap(k + 2, k + 3) in (" ", "")
            and words[k + 3].shape == "lower"
            and not words[k + 3].stop
            and not _has_digit(words[k + 3])
        ):
            last = k + 3
        # "les mains ouvertes", "les jardins fleuris": a plural adjective after the noun.
        elif (
            k + 2 < len(words)
            and view.gap(k + 1, k + 2) == " "
            and words[k + 2].shape == "lower"
            and not words[k + 2].stop
            and len(words[k + 2].text) >= 4
            and words[k + 2].folded[-1] in "sx"
        ):
            last = k + 2
        # A name ends the clause ("… les fontaines point", "… de loire à olivet"); a
        # subject takes its verb ("au collège les enfants sont…").
        after = view.text[words[last].end : words[last].end + 1]
        if last + 1 < len(words) and after == " ":
            if words[last + 1].folded not in _NAME_END_WORDS:
                return None
        elif after.isalnum():
            return None
        return words[last].end

    # "Transports Kaya SARL", "Ferreira & Fils": the legal form or the family belongs
    # to the company's name.
    COMPANY_TAIL = re.compile(
        r"^\s?(?:&|et)\s?(?:Fils|Fille|Filles|Fr[èe]res|Cie|Associ[ée]e?s|Compagnie)(?!\w)"
        r"|^\s(?:SARL|SAS|SASU|SA|EURL|SCI|SNC|SCOP)(?!\w)"
    )

    # "société de nettoyage Net&Clair SARL": words before a legal form name the company.
    LEGAL_FORM = re.compile(
        r"(?<![\w&])([A-ZÀ-Þ][\w&'’\-]*(?:[ \t][A-ZÀ-Þ&][\w&'’\-]*){0,2})[ \t]"
        r"(?:SARL|SAS|SASU|EURL|SCI|SNC|SCOP)(?![\w])"
    )

    # "auprès de 13 Habitat": a département's number opening a housing firm's name.
    NUMBER_FIRM = re.compile(
        rf"(?<![\w,.]){_DEPARTMENT}[ \t\u00a0](?:Habitat|Logis|Logement)(?![\w'’])"
    )
    FIRM_NUMBER = re.compile(
        # ("Solidarité Logement 45": a capitalised word may open the name.)
        r"(?<![\w])(?:[A-ZÀ-Þ][a-zà-ÿ][\w'’\-]+[ \t\u00a0])?"
        r"(?:Habitat|Immobili[eè]re|Logis|Logement|Fonci[eè]re)[ \t\u00a0]"
        rf"(?:\d[A-Z]\b|{_DEPARTMENT}{_NOT_A_QUANTITY})"
    )

    def _company_tail(self, text: str, end: int) -> int:
        m = self.COMPANY_TAIL.match(text[end : end + 20])
        return end + m.end() if m else end

    # "Partenord Habitat", "Roche Immobilier", "Delattre Transports": a name followed by
    # what the firm does is the firm's name.
    FIRM_WORD = re.compile(
        r"(?:Habitat|Immobili[eè]re?|Logements?|Services|Transports|Nettoyage|Propret[ée]|[ÉE]nergies?|"
        r"Int[ée]rim|B[âa]timent|Construction|Logistique|Distribution|S[ée]curit[ée]|"
        r"Industrie|Conseil|Solutions|Groupe|M[ée]dical|Formation|Tutelles)(?![\w'’\-])"
    )

    # "aux Transports Delattre", "la Blanchisserie Océane", "Logis Seine-Est": a trade
    # written with a capital opens the firm's name and belongs to it (lower case, "la
    # boulangerie Rinaldi", it stays outside, like the kind of any establishment).
    FIRM_HEAD = re.compile(
        r"(?:Transports|Ateliers?|Cabinet|Blanchisserie|Boulangerie|P[âa]tisserie|Salaisons|"
        r"Garage|Ambulances|Taxis|[ÉE]tablissements|Ets|Menuiserie|Carrosserie|Pressing|Laverie|Boucherie|"
        r"Charcuterie|[ÉE]picerie|Brasserie|Pizzeria|Librairie|Ma[çc]onnerie|Plomberie|"
        r"Imprimerie|Conserverie|P[ée]pini[èe]res|Jardinerie|Scierie|Fromagerie|Biscuiterie|"
        r"Abattoirs?|Laboratoires?|Logistique|Nettoyage|Propret[ée]|Logis|Habitat|Habitation|"
        r"Tissages?|Filatures?|Forges|Papeteries?|Chantiers|Serres|Vergers|Caves|Moulins?|"
        # Any trade in "-erie" ("Distillerie", "Rhumerie", "Savonnerie"); a name must
        # still follow it (below), so "la Gendarmerie Nationale" stays.
        r"[A-ZÀ-Þ][a-zà-ÿ]{2,}eries?)"
    )

    # "au Crédit des Volcans", "Banque des Savanes", "Mutuelle des Îles du Vent": a bank's
    # or a mutual's name after its link ("Banque de France", "Crédit du Nord" are listed).
    LINKED_FIRM_HEAD = re.compile(r"Cr[ée]dit|Banque|Caisse|Mutuelle")

    @staticmethod
    def _firm_link(view: TextView, j: int) -> int | None:
        """The index of the capitalised word after "du", "des", "de la", "de l'" at j."""
        words = view.words
        if j >= len(words) or words[j].folded not in ("du", "des", "de", "d'"):
            return None
        k = j + 1
        if words[j].folded in ("de", "d'") and k < len(words) and words[k].folded in ("la", "l'"):
            k += 1
        if k >= len(words) or "\n" in view.gap(j, k) or words[k].shape != "cap":
            return None
        if words[k].keep or words[k].title or words[k].stop:
            return None
        return k

    def _firm_words(self, view: TextView) -> Iterable[Span]:
        words = view.words
        for i, w in enumerate(words[:-1]):
            nxt = words[i + 1]
            if view.gap(i, i + 1) != " ":
                continue
            if (
                w.shape in ("cap", "upper")
                and not (w.keep or w.title or w.stop)
                # "Atlantique Habitat Solidaire": mid-sentence, any capitalised word
                # before a housing firm's word names it.
                # ("Sud Logistique 13": a point of the compass, too.)
                and (
                    not w.common
                    or (
                        not w.sent_start
                        and (nxt.text in _HOUSING_FIRM_WORDS or w.folded in region_words())
                    )
                )
                and (
                    self.FIRM_WORD.fullmatch(nxt.text)
                    # "LOGIREST HABITAT": both words in capitals.
                    or (
                        w.shape == nxt.shape == "upper"
                        and self.FIRM_WORD.fullmatch(nxt.text.capitalize())
                    )
                )
            ):
                # "… Habitat Solidaire": the name may go on after the firm's word.
                last = _cap_run(view, i + 1, allow_common=True, allow_keep=True, keep_start=True)
                yield w.start, _department_tail(view.text, words[max(last, i + 1)].end), 0.6
            elif (
                w.shape == "cap"
                and (self.FIRM_HEAD.fullmatch(w.text) or self.LINKED_FIRM_HEAD.fullmatch(w.text))
                and not w.sent_start
                and (link := self._firm_link(view, i + 1)) is not None
            ):
                # "les Tissages de la Meurthe", "des Salaisons du Lié": a trade, then a
                # place or a family's name.
                last = _cap_run(view, link, allow_common=True, allow_keep=False)
                if last >= 0:
                    yield w.start, words[last].end, 0.6
            elif (
                w.shape == "cap"
                and self.FIRM_HEAD.fullmatch(w.text)
                and nxt.shape in ("cap", "upper")
                # ("l'Épicerie Chez Lin": a capitalised "Chez" opens the shop's name.)
                and (not (nxt.title or nxt.stop) or nxt.text == "Chez")
                # "Habitat Indigne : visite" opening a line is a heading; mid-sentence,
                # "(Logis Métropole)" is a firm.
                and (not nxt.common or w.text not in _HOUSING_FIRM_WORDS or not w.sent_start)
            ):
                last = _cap_run(view, i + 1, allow_common=True, allow_keep=True, keep_start=True)
                # A name, not a description ("Cabinet Médical"): one word of it is no
                # French word, or a registered surname or first name ("Roche", "Océane").
                if last >= 0 and (
                    (w.text in _HOUSING_FIRM_WORDS and not w.sent_start)
                    or any(
                        not (words[j].common or words[j].keep)
                        or words[j].surname
                        or words[j].registry_first
                        for j in range(i + 1, last + 1)
                        if words[j].shape != "lower"
                    )
                ):
                    yield w.start, self._company_tail(view.text, words[last].end), 0.6

    # "le bailleur (habitat provence azur)": typed in lower case, a landlord's or an
    # employer's name in brackets.
    BRACKETED_FIRM = re.compile(
        r"(?i:\b(?:bailleur(?:\s+social)?|employeur|propri[ée]taire))[ \t]*\([ \t]*"
        r"([a-zà-ÿ0-9][a-zà-ÿ0-9'’\- ]{2,40}?)[ \t]*\)"
    )

    def _bracketed_firm(self, view: TextView) -> Iterable[Span]:
        """A name of no French word, or one naming its region ("provence"), not a kind
        ("bailleur (privé)", "employeur (mairie)")."""
        for m in self.BRACKETED_FIRM.finditer(view.text):
            names = re.findall(r"[^\W\d_][\w'’\-]*", m.group(1))
            if names and any(
                fold(w) in region_words()
                or (fold(w) not in keep_words() and w.casefold() not in self.lexicon)
                for w in names
                if fold(w) not in self.lexicon.stop_words
            ):
                yield m.start(1), m.end(1), 0.6

    # A signature's job line: "Médiatrice familiale – Trait d'Union Familles".
    JOB_LINE = re.compile(
        rf"(?im)^[ \t]*(?:{FrPersonRecognizer._JOBS}|responsable|charg[ée]e?|coordinat(?:eur|rice)|"
        r"direct(?:eur|rice)(?: adjointe?)?)(?:[ \t]+[a-zà-ÿ][\w'’\-]*){0,4}"
        r"[ \t]+[–—-][ \t]+((?-i:[A-ZÀ-Þ])[^\n@|,;–—]{1,60}?)[ \t.]*$"
    )

    JOB_LINE_KIND = re.compile(
        r"service|association|asso|pole|espace|cabinet|centre|maison|mairie|departement|"
        r"conseil|direction|unite|antenne|agence|plateforme|dispositif"
    )

    def _job_line(self, view: TextView) -> Iterable[Span]:
        """After the job on a signature's line, the employer's name: from its first word
        that is no listed word ("Service AEMO Lespwar Ouest"), to the line's end."""
        for m in self.JOB_LINE.finditer(view.text):
            if re.search(r"\d{2}[ .]?\d{2}[ .]?\d{2}", m.group(1)):
                continue  # a phone number, its recognizer's
            found = list(re.finditer(r"[^\W\d_][\w'’\-]*", m.group(1)))
            # The name is there if one capitalised word is no listed word; it starts
            # after the kind and its acronym ("Service AEMO Lespwar Ouest"), and may
            # open on a listed word ("Habitat & Autonomie Pays d'Auge").
            if not any(
                w.group()[:1].isupper()
                and fold(w.group()) not in keep_words()
                and fold(w.group()) not in _TITLES_FOLDED
                for w in found
            ):
                continue
            for w in found:
                word = w.group()
                if word[:1].isupper() and not (
                    (word.isupper() and fold(word) in keep_words())
                    or self.JOB_LINE_KIND.fullmatch(fold(word))
                ):
                    yield m.start(1) + w.start(), m.end(1), 0.6
                    break

    @staticmethod
    def _region_in_run(view: TextView) -> Iterable[Span]:
        """ "Horizon Enfance Alsace", "Tutelle Lorraine Accompagnement": three or more
        capitalised words side by side mid-sentence, one of them a region set in without
        "de" or "du", are a service's or a firm's name ("Conseil départemental du Nord"
        links its département, and stays)."""
        words = view.words
        i = 0
        while i < len(words):
            w = words[i]
            if w.shape not in ("cap", "upper") or w.title:
                i += 1
                continue
            j = i
            while j + 1 < len(words) and view.gap(j, j + 1) in (" ", " & "):
                # ("Aide et Présence Val-de-Loire": "et" may join two of the words.)
                k = j + 1
                if (
                    words[k].text == "et"
                    and k + 1 < len(words)
                    and view.gap(k, k + 1) == " "
                    and k > i
                ):
                    k += 1
                if words[k].shape not in ("cap", "upper") or words[k].title:
                    break
                j = k
            run = [x for x in words[i : j + 1] if x.text != "et"]
            # ("SAAD Aide et Présence Val-de-Loire": the kind's acronym stays readable.)
            while run and run[0].shape == "upper" and run[0].keep:
                run = run[1:]
            if not run:
                i = j + 1
                continue
            before = view.text[max(0, run[0].start - 3) : run[0].start].strip(" \u00a0\t")
            after = view.text[run[-1].end : run[-1].end + 3]
            regions = [x for x in run if x.folded in region_words() or x.folded in territories()]
            # ("SAAD Aide et Présence Roubaix": a town closing the run counts too, with a
            # word that is no listed one, so "Mission Locale Roubaix" stays readable.)
            if (
                not regions
                and (run[-1].city or (run[-1].commune and not run[-1].common))
                and any(not (x.keep or x.stop) for x in run[:-1])
            ):
                regions = run[-1:]
            if (
                len(run) >= 3
                and regions
                and len(run) - len(regions) >= 2
                # ("Transmissions HUDA Tourcoing – nuit": a heading naming a listed
                # service and its town, not a firm.)
                and not any(x.shape == "upper" and x.keep for x in run)
                # Mid-sentence, opening a table's cell or a bracket, or a letterhead's
                # name before its dash ("Tutelle Lorraine Accompagnement – service…");
                # never a heading before its colon.
                and (
                    not run[0].sent_start
                    or before[-1:] in ("|", "(", "–", "—")
                    or re.match(r"[ \t]+[–—-][ \t]", after)
                )
                and not re.match(r"[ \t]*:", after)
            ):
                yield run[0].start, _department_tail(view.text, run[-1].end), 0.55
            i = j + 1

    def _territory_led(self, view: TextView) -> Iterable[Span]:
        """ "SAAD Creuse Aide à Domicile", "Loire Logis": a département opening a run of
        capitalised words is a firm's or a service's name, not the place."""
        words = view.words
        for i, w in enumerate(words):
            if w.shape != "cap" or w.folded not in wide_territories() or i + 1 >= len(words):
                continue
            nxt = words[i + 1]
            if view.gap(i, i + 1) != " " or nxt.shape not in ("cap", "upper") or nxt.title:
                continue
            if nxt.folded in wide_territories() or nxt.stop:
                continue
            last = _cap_run(view, i, allow_common=True, allow_keep=True, keep_start=True)
            if last > i:
                end = words[last].end
                # "Creuse Aide à Domicile": the service's name goes on after "à".
                tail = re.match(r" (?:à|au|aux) [A-ZÀ-Þ][\w'’\-]*", view.text[end : end + 40])
                yield w.start, _department_tail(view.text, end + (tail.end() if tail else 0)), 0.6

    def _capital_article(self, view: TextView) -> Iterable[Span]:
        """ "le GEM L'Envol", "service AEMO La Bastide": mid-sentence, a capitalised
        article before a capitalised word opens a proper name, whatever its words."""
        words = view.words
        for k, w in enumerate(words):
            if (
                w.folded not in ("le", "la", "les", "l'")
                or w.shape != "cap"
                or w.sent_start
                or k == 0
                or k + 1 >= len(words)
            ):
                continue
            prev = words[k - 1]
            # "M. Le Goff" is a person (the name recognizer's), "Titre : La…" a heading.
            if prev.title or "\n" in view.gap(k - 1, k) or view.gap(k - 1, k).strip(" \u00a0"):
                continue
            if view.gap(k, k + 1).strip() or words[k + 1].shape not in ("cap", "upper"):
                continue
            # "l'adoption Les Enfants de l'Espérance": a listed word may open the name.
            last = _cap_run(view, k + 1, allow_common=True, allow_keep=True, keep_start=True)
            if last >= 0 and not all(words[j].keep for j in range(k + 1, last + 1)):
                yield w.start, words[last].end, 0.6

    def spans(self, text, nlp_artifacts):
        view = get_view(text, nlp_artifacts, self.lexicon)
        words = view.words
        starts = {w.start: k for k, w in enumerate(words)}
        for m in self.HEAD.finditer(text):
            rest = text[m.end() :]
            quoted = self.QUOTED.match(rest)
            # « avec des règles » after "CHRS" is what it is like, not its name.
            if quoted and any(c.isupper() for c in quoted.group(1)):
                yield m.end() + quoted.start(1), m.end() + quoted.end(1), 0.85
                continue
            # Skip spaces and an optional "de/du/des/d'/Saint" link to the name.
            k = next((idx for idx in range(len(words)) if words[idx].start >= m.end()), None)
            if k is None:
                continue
            between = text[m.end() : words[k].start]
            comma = between.strip(" \u00a0") == ","
            if (between.strip(" \u00a0(:") or len(between) > 3) and not comma:
                continue
            # "ESAT les ateliers du Scorff": a name may start with an article and
            # lower-case words before its proper noun (at most two, no function word).
            named = self._lowercase_lead(view, k, m.group())
            if named is not None and not comma:
                yield words[k].start, named, 0.75
                continue
            named = None if comma else self._lowercase_name(view, k)
            if named is not None:
                yield words[k].start, named, 0.6
                continue
            linked = False
            # "MECS les Tilleuls": an article right after the kind of place is part of
            # the name, as "MECS Les Tilleuls" capitalised; "de la" only links it.
            article: int | None = None
            # "chantier d'insertion aux Jardins de Bassin Plat": a workshop is named
            # after "au(x)" or "à la" too (where the person works).
            at = ("au", "aux", "a", "à") if self.WORKSHOP.fullmatch(m.group()) else ()
            if (
                words[k].folded in ("de", "du", "des", "d'", "la", "le", "les", "l'", *at)
                and words[k].shape == "lower"
            ):
                linked = True
                if words[k].folded in ("la", "le", "les", "l'"):
                    article = words[k].start
                k += 1
                if k < len(words) and words[k].folded in ("la", "l'") and words[k].shape == "lower":
                    k += 1
            if k >= len(words):
                continue
            # "Relais : HAD Arverne": a kind of place after a label names its own.
            if self.HEAD.fullmatch(words[k].text) and words[k].shape == "upper":
                continue
            # "association SOS Femmes 93": a listed acronym may open the name.
            acronym_led = (
                words[k].keep
                and words[k].shape == "upper"
                and k + 1 < len(words)
                and view.gap(k, k + 1) == " "
                and words[k + 1].shape == "cap"
                and not (words[k + 1].keep or words[k + 1].title)
            )
            last = _cap_run(
                view,
                k + 1 if acronym_led else k,
                allow_common=True,
                allow_keep=True,
                # "boulangerie Maison Rinaldi": a listed word may open a name whose next
                # word is no listed word.
                keep_start=bool(self.KEEP_START.fullmatch(m.group()))
                or (
                    k + 1 < len(words)
                    and words[k].keep
                    and words[k + 1].shape in ("cap", "upper")
                    and (not words[k + 1].keep or words[k + 1].folded in wide_territories())
                    and not view.gap(k, k + 1).strip()
                ),
            )
            if last < 0:
                continue
            # "son bailleur, France Loire, …": a landlord or an employer named after a
            # comma by places is a firm ("Loire Habitat"), not the place.
            firm_of_places = (
                last > k
                and re.fullmatch(r"(?i)bailleur|employeur", m.group()) is not None
                and any(words[j].folded in wide_territories() for j in range(k, last + 1))
            )
            if (
                comma
                and not firm_of_places
                and all(
                    words[j].common or words[j].keep or words[j].first_name
                    for j in range(k, last + 1)
                    if words[j].shape != "lower"
                )
            ):
                # "au foyer, Le médecin…": after a comma only a name nobody would write
                # as a French word ("restaurant, Le Jardin de Jaffna") is taken.
                continue
            end = words[last].end
            number = re.match(
                r"[ \t\u00a0]\d{1,4}(?!\w)(?!\s*(?:h\b|heures?|ans?\b|mois|jours?|fois|€|euros?|%|semaines?|min))",
                text[end:],
            )
            if number:  # "hôtel Formule 1"
                end += number.end()
            end = self._company_tail(text, end)
            # "école Jean Moulin" (a name) vs "CAF de Bobigny" (a town: the place recognizer labels it).
            yield (words[k].start if article is None else article), end, 0.7 if linked else 0.9
        # "ADSEA du Rhône", "APF de la Loire": an association's acronym (no institution
        # of the keep list) followed by its département names a local organisation.
        for i, w in enumerate(words[:-2]):
            # ("Sauvegarde du Nord": an association's name, capitalised mid-line, too.)
            if (
                w.shape not in ("upper", "cap")
                or (w.shape == "cap" and (w.sent_start or w.stop or w.title or w.first_name))
                or w.keep
                or len(w.text) < 3
                or _has_digit(w)
            ):
                continue
            k = i + 1
            if words[k].folded in ("de", "du", "des", "d'") and words[k].shape == "lower":
                k += 1
                if k < len(words) and words[k].folded in ("la", "l'") and words[k].shape == "lower":
                    k += 1
            else:
                continue
            if (
                k < len(words)
                and words[k].folded in wide_territories()
                and "\n" not in text[w.end : words[k].start]
            ):
                yield w.start, words[k].end, 0.6
        # "Habitat 76", "Immobilière 3F": a housing firm's word and its number.
        for m in self.FIRM_NUMBER.finditer(text):
            yield m.start(), m.end(), 0.6
        for m in self.NUMBER_FIRM.finditer(text):
            yield m.start(), m.end(), 0.6
        for m in self.LEGAL_FORM.finditer(text):
            named = re.findall(r"[^\W\d_]+", m.group(1))
            if named and not all(fold(w) in keep_words() for w in named):
                yield m.start(1), m.end(), 0.7
        yield from self._capital_article(view)
        yield from self._territory_led(view)
        yield from self._region_in_run(view)
        yield from self._job_line(view)
        yield from self._bracketed_firm(view)
        yield from self._firm_words(view)
        for k, w in enumerate(words):
            if k > 0 and words[k - 1].folded == "chez" and not w.title:
                # "chez Picard Surgelés", "chez Lidl": a person or an employer, masked
                # either way; "chez BTP Ferreira & Fils": an acronym may open the name.
                first = k + 1 if w.keep and w.shape == "upper" else k
                if first < len(words) and not view.gap(k, first).strip():
                    last = _cap_run(view, first, allow_common=True, allow_keep=True)
                    if last >= 0:
                        end = words[last].end
                        end = _department_tail(text, end)
                        yield w.start, self._company_tail(text, end), 0.7
                continue
            if w.shape not in ("cap", "upper") or w.keep:
                continue
            if self.EMPLOYER.search(text[max(0, w.start - 60) : w.start]):
                last = _cap_run(view, k, allow_common=True)
                if last >= 0:
                    yield w.start, words[last].end, 0.75
        del starts


# --------------------------------------------------------------------------- registry


def french_recognizers(lexicon: FrenchLexicon) -> list[FrenchRecognizer]:
    """Every recognizer of this module, sharing one lexicon."""
    classes: list[Callable[[FrenchLexicon], FrenchRecognizer]] = [
        FrEmailRecognizer,
        FrPhoneRecognizer,
        FrUrlRecognizer,
        FrNirRecognizer,
        FrIbanRecognizer,
        FrPlateRecognizer,
        FrIdNumberRecognizer,
        FrDateRecognizer,
        FrAgeRecognizer,
        FrAddressRecognizer,
        FrPostcodeRecognizer,
        FrPersonRecognizer,
        FrPlaceRecognizer,
        FrOrganisationRecognizer,
    ]
    return [cls(lexicon) for cls in classes]


__all__ = ["FrenchRecognizer", "fold", "french_recognizers"]
