"""The Deidentifier: Presidio analyzer with French recognizers, roster, overrides, pseudonyms."""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from assistant.deid.lexicon import fold, fold_with_offsets
from assistant.deid.normalise import normalised
from assistant.deid.text import NICKNAME_CUE, PARTICLES, ROLE_WORDS, TITLES
from assistant.deid.types import (
    PLACEHOLDER_RE,
    DeidResult,
    Entity,
    Override,
    PseudonymMap,
    ReidResult,
    RosterPerson,
)
from assistant.errors import AssistantError

# spaCy components we never read are not even loaded (the parser is the slowest);
# the lemmatizer is loaded for its tables (our French lexicon) but never run.
# In fr_core_news_md the NER has its own embedding layer: the shared tok2vec only feeds
# the tagger and parser, so it goes too (same entities, about half the time).
_EXCLUDED = ["tok2vec", "parser", "morphologizer", "attribute_ruler", "senter"]
_DISABLED = ["lemmatizer"]
# Anything scored below this is not masked; every recognizer documents its scale.
SCORE_THRESHOLD = 0.4
# When spans of different types overlap, the higher score names the merged span;
# on a tie, the more specific type wins.
_PRIORITY = [
    "TEXTE",
    "EMAIL",
    "NIR",
    "IBAN",
    "TEL",
    "URL",
    "PLAQUE",
    "NUM_CAF",
    "NUM_FT",
    "NUM_TITRE",
    "NUM_DOSSIER",
    "NUM_FISCAL",
    "NUM_ID",
    "ADRESSE",
    "CODE_POSTAL",
    "DATE",
    "AGE",
    "PERSONNE",
    "ORGANISATION",
    "VILLE",
]


@dataclass
class _Hit:
    type: str
    start: int
    end: int
    score: float
    recognizer: str


class Deidentifier:
    """Masks French identifiers with readable, case-stable placeholders.

    ``__init__`` is cheap; ``load()`` builds the Presidio analyzer once (seconds:
    it loads spaCy) and is safe to call from several threads.
    """

    def __init__(self, spacy_model: str = "fr_core_news_md") -> None:
        self.spacy_model = spacy_model
        self._lock = threading.Lock()
        self._analyzer = None
        self._nlp = None
        self._lexicon = None

    @property
    def loaded(self) -> bool:
        return self._analyzer is not None

    def load(self) -> None:
        if self._analyzer is not None:
            return
        with self._lock:
            if self._analyzer is not None:
                return
            from assistant.offline import enforce_offline

            # tldextract and spaCy must be switched offline before Presidio imports them.
            enforce_offline()
            import spacy

            if not spacy.util.is_package(self.spacy_model):
                raise AssistantError(
                    f"Le modèle linguistique « {self.spacy_model} » n'est pas installé : "
                    f"installez-le avec « pip install {self.spacy_model.replace('_', '-')} » "
                    "(aucun téléchargement n'est fait automatiquement)."
                )
            from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
            from presidio_analyzer.nlp_engine import SpacyNlpEngine

            from assistant.deid.lexicon import FrenchLexicon
            from assistant.deid.recognizers import french_recognizers

            try:
                nlp = spacy.load(self.spacy_model, exclude=_EXCLUDED, disable=_DISABLED)
            except OSError as exc:  # pragma: no cover - broken installation
                raise AssistantError(
                    f"Impossible de charger le modèle linguistique « {self.spacy_model} » : {exc}"
                ) from exc
            # Built by hand, never through NlpEngineProvider/SpacyNlpEngine.load(),
            # whose fallback is to download a missing model.
            from presidio_analyzer.nlp_engine import NerModelConfiguration

            ner_config = NerModelConfiguration(
                model_to_presidio_entity_mapping={
                    "PER": "PERSONNE",
                    "LOC": "VILLE",
                    "ORG": "ORGANISATION",
                    "MISC": "MISC",
                }
            )
            engine = SpacyNlpEngine(
                models=[{"lang_code": "fr", "model_name": self.spacy_model}],
                ner_model_configuration=ner_config,
            )
            engine.nlp = {"fr": nlp}
            lexicon = FrenchLexicon(nlp)
            # The register gazetteers (~90 ms) and the keep list built from them are
            # read here, off the UI thread, not on the first note.
            from assistant.deid.lexicon import (
                article_communes,
                communes,
                country_phrases,
                keep_words,
                masculine_communes,
                region_words,
                registry_first_names,
                surnames,
                territories,
            )

            for gazetteer in (
                article_communes,
                communes,
                surnames,
                registry_first_names,
                territories,
                keep_words,
                country_phrases,
                masculine_communes,
                region_words,
            ):
                gazetteer()
            registry = RecognizerRegistry(
                recognizers=french_recognizers(lexicon), supported_languages=["fr"]
            )
            analyzer = AnalyzerEngine(
                registry=registry, nlp_engine=engine, supported_languages=["fr"]
            )
            self._nlp = nlp
            self._lexicon = lexicon
            self._analyzer = analyzer

    # ------------------------------------------------------------------ analysis

    def analyze(
        self,
        text: str,
        *,
        roster: Sequence[RosterPerson] = (),
        overrides: Sequence[Override] = (),
    ) -> list[_Hit]:
        """Every span to mask (merged, sorted), before placeholders are chosen."""
        self.load()
        hits: list[_Hit] = []
        # A literal placeholder typed by the user is masked as its own entity, so that
        # every placeholder in the output is ours and re-identification stays exact.
        for m in PLACEHOLDER_RE.finditer(text):
            hits.append(_Hit("TEXTE", m.start(), m.end(), 1.0, "PlaceholderLiteral"))
        # The recognizers read the note with OCR swaps and all-capitals undone; the copy
        # has the same length, so every span falls on the original's offsets.
        seen = normalised(text, self._lexicon)
        if text.strip():
            from assistant.deid.recognizers import legal_references

            legal = legal_references(seen)
            for r in self._analyzer.analyze(seen, language="fr", score_threshold=SCORE_THRESHOLD):
                if legal and any(a <= r.start and r.end <= b for a, b in legal):
                    continue
                name = (r.recognition_metadata or {}).get("recognizer_name", "")
                start, end = r.start, r.end
                # Spaces around a span belong to the text, not to the masked value.
                while start < end and text[start].isspace():
                    start += 1
                while end > start and text[end - 1].isspace():
                    end -= 1
                if end > start:
                    hits.append(_Hit(r.entity_type, start, end, r.score, name))
        note = _FoldedNote(seen)
        for person_index, form, start, end in _roster_matches(note, roster):
            del person_index, form
            hits.append(_Hit("PERSONNE", start, end, 1.0, "RosterRecognizer"))
        unmask = [
            fold(o.text).strip() for o in overrides if o.action == "unmask" and o.text.strip()
        ]
        if unmask:
            hits = [h for h in hits if not _unmasked(note, h, unmask)]
        for o in overrides:
            if o.action == "mask" and o.text.strip():
                for start, end in note.find(o.text):
                    hits.append(_Hit(o.type or "PERSONNE", start, end, 1.0, "Override"))
        merged = _merge(hits)
        merged = _merge(merged + _name_tails(seen, merged, self._lexicon))
        merged = _merge(merged + _propagate(note, merged, self._lexicon, unmask))
        merged = _merge(merged + _upper_particles(seen, merged) + _letterhead(seen, merged))
        # Once more on what spreading found ("Famille LE GALL / DIOP": the name after the
        # slash, known only once "LE GALL" has spread). Running it on the spread hits
        # alone gave the same masks and no measurable gain (13.4 s both ways on 749 notes).
        merged = _merge(merged + _name_tails(seen, merged, self._lexicon))
        return _across_line_breaks(text, merged)

    def pseudonymise(
        self,
        text: str,
        *,
        mapping: PseudonymMap | None = None,
        roster: Sequence[RosterPerson] = (),
        overrides: Sequence[Override] = (),
    ) -> DeidResult:
        if mapping is None:
            mapping = PseudonymMap()
        hits = self.analyze(text, roster=roster, overrides=overrides)
        # Roster people get their placeholder first, keyed by their listed name, and
        # every form of their name is an alias of it: same pseudonym in every note.
        roster_forms: dict[str, str] = {}
        for person in roster:
            if not person.name.strip():
                continue
            placeholder = mapping.placeholder_for("PERSONNE", person.name.strip())
            for form in _roster_forms(person):
                mapping.alias(placeholder, "PERSONNE", form)
                roster_forms.setdefault(fold(form), placeholder)
        entities: list[Entity] = []
        for hit in hits:
            original = text[hit.start : hit.end]
            placeholder = None
            if hit.type == "PERSONNE":
                placeholder = roster_forms.get(fold(original))
            if placeholder is None:
                placeholder = mapping.placeholder_for(hit.type, original)
            previous = entities[-1] if entities else None
            merged = text[previous.start : hit.end] if previous is not None else ""
            if (
                previous is not None
                and previous.placeholder == placeholder
                and text[previous.end : hit.start].strip(" \t") == ""
                and _same_name(merged, placeholder, hit.type, mapping, roster_forms)
            ):
                # "Amina KOUYATÉ" found as two spans of one person reads as one
                # <PERSONNE_1>, not "<PERSONNE_1> <PERSONNE_1>". Only when the
                # whole span is that person's name: "0601 0601" stays two values.
                entities[-1] = Entity(
                    type=previous.type,
                    start=previous.start,
                    end=hit.end,
                    text=merged,
                    placeholder=placeholder,
                    score=max(previous.score, hit.score),
                    recognizer=previous.recognizer,
                )
                continue
            entities.append(
                Entity(
                    type=hit.type,
                    start=hit.start,
                    end=hit.end,
                    text=original,
                    placeholder=placeholder,
                    score=hit.score,
                    recognizer=hit.recognizer,
                )
            )
        pieces: list[str] = []
        cursor = 0
        for entity in entities:
            pieces.append(text[cursor : entity.start])
            pieces.append(entity.placeholder)
            cursor = entity.end
        pieces.append(text[cursor:])
        return DeidResult(text="".join(pieces), entities=entities, mapping=mapping)


def reidentify(text: str, mapping: PseudonymMap) -> ReidResult:
    """Put the originals back in one pass; unknown placeholders stay visible and are listed."""
    unknown: list[str] = []

    def replace(m: re.Match[str]) -> str:
        original = mapping.original(m.group())
        if original is None:
            if m.group() not in unknown:
                unknown.append(m.group())
            return m.group()
        return original

    return ReidResult(text=PLACEHOLDER_RE.sub(replace, text), unknown_placeholders=unknown)


# ---------------------------------------------------------------------- helpers


# "M. Cédric ROUS-\nSEL": a name cut at the end of a line (a PDF pasted into the note).
_CUT_WORD = re.compile(r"-[ \t]*\r?\n[ \t]*([^\W\d_][\w'’]*)")


def _across_line_breaks(text: str, hits: list[_Hit]) -> list[_Hit]:
    """A name, place or address that ends with a hyphen at a line's end goes on with the
    first word of the next line."""
    out: list[_Hit] = []
    for hit in hits:
        m = _CUT_WORD.match(text, hit.end)
        if m and hit.type in ("PERSONNE", "VILLE", "ADRESSE", "ORGANISATION"):
            if out and out[-1].end > m.start(1):
                out.append(hit)
                continue
            hit = _Hit(hit.type, hit.start, m.end(1), hit.score, hit.recognizer)
        out.append(hit)
    return _merge(out)


def _merge(hits: list[_Hit]) -> list[_Hit]:
    """Union of overlapping spans; the best-scored (then most specific) type names it."""
    if not hits:
        return []
    rank = {t: i for i, t in enumerate(_PRIORITY)}
    hits = sorted(hits, key=lambda h: (h.start, -h.end))
    merged: list[tuple[int, int, list[_Hit]]] = []
    for h in hits:
        if merged and h.start < merged[-1][1]:
            start, end, group = merged[-1]
            merged[-1] = (start, max(end, h.end), [*group, h])
        else:
            merged.append((h.start, h.end, [h]))
    out = []
    for start, end, group in merged:
        best = max(group, key=lambda h: (h.score, (h.end - h.start), -rank.get(h.type, 99)))
        # Among equal best scores, prefer the more specific type.
        top = [h for h in group if h.score == best.score]
        best = min(top, key=lambda h: rank.get(h.type, 99))
        out.append(_Hit(best.type, start, end, best.score, best.recognizer))
    return out


_DETERMINER_BEFORE = re.compile(
    r"(?<!\w)(?:une?|les?|la|des|du|de|en|sa|son|ses|mon|ma|mes|ton|ta|tes|ce|cet|cette|ces|"
    r"leurs?|notre|votre|nos|vos|quelques?|chaque|[ldq]u?['’])\s*$",
    re.IGNORECASE,
)


_NICKNAME_BEFORE = re.compile(rf"(?<!\w)(?:{NICKNAME_CUE})\s*[«\"“]?\s*$", re.IGNORECASE)


# "Maria de Lourdes", "Maria da Conceição": a first name goes on after its particle.
_FIRST_NAME_TAIL = re.compile(r"[ \t](?:de|da|do|dos|das|del)[ \t]([A-ZÀ-Þ][\w'’\-]+)")
_FAMILY_FIRM = re.compile(r"[ \t]?&[ \t]?(?:Fils|Filles?|Fr[èe]res|S[œo]eurs|Cie)(?![\w])")
_SHORT_GIVEN_BEFORE = re.compile(r"(?<![\w.])([A-ZÀ-Þ][a-zà-ÿ]{1,2}|[A-ZÀ-Þ]{2})\.[ \t]\Z")
_QUOTED_BEFORE_NAME = re.compile(
    r"[«\"“][ \t]*([A-ZÀ-Þ][\w'’\-]{1,20})[ \t]*[»\"”][ \t]*\([ \t]*\Z"
)
# "ch. 4 : Momo (M. BELKACEM)", "momo (mohamed kaci)", "Jojo (= Joseph W., 58 ans)":
# a bare word explained by the bracketed name after it is what the person is called.
_TITLE = r"(?:M\.|Mr\.?|Mme|Mlle|Monsieur|Madame|Mademoiselle)"
_WORD_BEFORE_BRACKETED_NAME = re.compile(
    r"(?<![\w'’.\-])([A-Za-zÀ-ÿ][a-zà-ÿ][\w'’\-]{0,18})[ \t]*\([ \t]*"
    rf"(?:=[ \t]*)?({_TITLE}[ \t]+)?\Z"
)
# "CMP Les Bambous – Le Tampon": the article of a town named with one.
_ARTICLE_BEFORE = re.compile(r"(?<![\w'’])(?:([Ll]e|[Ll]a|[Ll]es)[ \t]|([Ll]['’]))\Z")
# "Famille LE BIHAN / KONATÉ": a particle in capitals before a surname in capitals.
_UPPER_PARTICLE_BEFORE = re.compile(
    r"(?<![\w'’])(?:"
    + "|".join(sorted((p.upper() for p in PARTICLES if p.isalpha() and len(p) > 1), key=len)[::-1])
    + r"|ABD)[ \t]\Z"
)
# Typed in lower case before a capitalised surname ("| da Silva Rosa |"), the particles
# that are no French word; "de", "le", "la" are, and stay out.
_FOREIGN_PARTICLES = PARTICLES - {"de", "du", "des", "d'", "la", "le", "y", "n'", "m'"}
# "chez titi vers les Ruffins": a quarter named in the plural, after a place's preposition.
_PLURAL_PLACE_BEFORE = re.compile(r"(?<![\w])(?:vers|dans|sur|aux?|à|de|depuis)[ \t]+les[ \t]\Z")
# "M. Olivier Dimanche": after a title and a first name, a registered surname, even one
# that is also a kept word (a day, a month).
_SURNAME_AFTER = re.compile(r"[ \t]([A-ZÀ-Þ][a-zà-ÿ][\w'’\-]+)(?![\w'’\-])")
_LOWER_WORD_AFTER = re.compile(r" ([a-zà-ÿ][a-zà-ÿ'’\-]+)(?![\w'’\-])")
_NAME_ENDS = re.compile(r"[ \t]*(?:[,;.)\n]|\Z|\d{1,3}[ \t]?(?:a|ans)(?![\w]))")
_FIRM_KIND_TAIL = re.compile(
    # (Capitalised: notes in capitals are read recased, "Habitat Caraibes Logement".)
    r"(?: (?=[A-ZÀ-Þ])(?i:LOGEMENTS?|HABITAT|HABITATION|IMMOBILI[EÈ]RE|SERVICES|SOLIDARIT[EÉ]|"
    r"ACCOMPAGNEMENT|INSERTION|FORMATION|TRANSPORTS?|PROPRET[EÉ]|NETTOYAGE))+(?![\w'’\-])"
)
_LOWER_BEFORE_NAME = re.compile(r"(?<![\w'’\-])([a-zà-ÿ][a-zà-ÿ\-]+)[ \t]\Z")
# "…, Ravi Moutoussamy (association…)": in a list, a capitalised first name that is
# also a word ("Ravi", "Rose") right before a masked surname.
_LISTED_GIVEN_BEFORE = re.compile(
    r"(?:[,(;]|(?<![\w'’])(?:et|avec))[ \t]+([A-ZÀ-Þ][a-zà-ÿ][a-zà-ÿ\-]+)[ \t]\Z"
)
_BRACKETED_FIRST_NAME = re.compile(r"[ \t]*\([ \t]*([A-Za-zÀ-ÿ][a-zà-ÿ'’\-]+)[ \t]*\)")
_TITLE_BEFORE = re.compile(rf"(?<!\w){_TITLE}[ \t]+\Z")
_PARTICLE_BETWEEN = re.compile(r" (?:de la|de l['’]|de|du|des|d['’]|del|della|van der|van|von) ?")
_VIETNAMESE_MIDDLE = re.compile(r" (?i:van|văn|thi|thị) ([A-Za-zÀ-ÿ][a-zà-ÿ]{1,10})(?![\w'’\-])")
_REGION_ACRONYM_AFTER = re.compile(r" (?:IDF|PACA|AURA|BFC|HDF)(?![\w'’\-])")
_QUOTED_RIGHT_BEFORE = re.compile(r"[«\"“][ \t]*([A-ZÀ-Þ][\w'’\-]{1,20})[ \t]*[»\"”][ \t]+\Z")
_WORD_BEFORE = re.compile(r"(?<![\w'’\-])([\w\-]+)[ \t]+\Z")
_INITIAL_AFTER = re.compile(r"[ \t]([A-Za-zÀ-ÿ]\.)(?=[ \t]*(?:\n|\Z|,))")
_ANY_CASE_TITLE_BEFORE = re.compile(rf"(?<!\w)(?i:{_TITLE})[ \t]+\Z")
# "LOEFFLER / WEISS": two writers named side by side.
_SLASHED_NAME = re.compile(r"[ \t]?/[ \t]?([A-ZÀ-Þ][\w'’\-]+)")


_HEAD_LINE = re.compile(
    r"[ \t]*((?:[A-ZÀ-Þ][a-zà-ÿ'’\-]+|&)(?:[ \t]+(?:[A-ZÀ-Þ][a-zà-ÿ'’\-]+|&)){1,4})[ \t]*$"
)


def _letterhead(text: str, hits: list[_Hit]) -> list[_Hit]:
    """A letterhead's first lines: a name of capitalised words, one of them already
    masked ("Tutelle Accompagnement Flandres"), is the sender's organisation, whole."""
    extra: list[_Hit] = []
    offset = 0
    for line in text.split("\n")[:3]:
        m = _HEAD_LINE.fullmatch(line)
        if m:
            start, end = offset + m.start(1), offset + m.end(1)
            words = m.group(1).split()
            inside = [h for h in hits if start <= h.start and h.end <= end]
            if (
                inside
                and not any(fold(w.rstrip(".")) in TITLES for w in words)
                and any(h.type in ("PERSONNE", "VILLE", "ORGANISATION") for h in inside)
                and sum(h.end - h.start for h in inside) < end - start - 1
            ):
                extra.append(_Hit("ORGANISATION", start, end, 0.5, "Letterhead"))
        offset += len(line) + 1
    return extra


def _upper_particles(text: str, hits: list[_Hit]) -> list[_Hit]:
    """A particle in capitals before a surname in capitals, wherever the surname was
    found ("Famille LE BIHAN" once "Gwenaëlle LE BIHAN" is known)."""
    extra: list[_Hit] = []
    for hit in hits:
        m = _UPPER_PARTICLE_BEFORE.search(text, max(0, hit.start - 4), hit.start)
        if m and hit.type in ("PERSONNE", "VILLE") and text[hit.start : hit.end].isupper():
            extra.append(_Hit(hit.type, m.start(), hit.end, hit.score, hit.recognizer))
    return extra


def _name_tails(text: str, hits: list[_Hit], lexicon) -> list[_Hit]:
    """What a masked name runs on to, on either side.

    Before it: a town's article ("– Le Tampon") or a plural quarter's ("vers les
    Ruffins"), a first name or a particle typed in lower case ("pierre Lefèvre", "da
    Silva"), a shortened first name ("Fl. Bousquet"), a nickname it explains ("« Coco »
    (Corentin", "Momo (M. BELKACEM)"). After it: a lower-case first name where the name
    ends ("rouquette robert 77a"), a bracketed first name ("marchand (paulette)"), a
    registered surname after a title and a first name ("M. Olivier Dimanche"), a first
    name's particle and second part ("Maria de Lourdes"), a family firm's "& Fils", a
    second name after a slash, and a firm's trailing kind word ("… LOGEMENT"). Typed in
    lower case, a registered surname after a title or a family role and a first name
    ("mme rose marchand, 81 ans"), an initial signing ("élodie v."), two parts joined
    by a particle ("marie-thérèse de la roche-vernay"), a Vietnamese middle and given
    name ("nguyen van long"); a listed first name that is a word (", Ravi Moutoussamy"),
    a quoted nickname right before the name ("« Titi » Tiphaine"), a firm's "IDF".
    """
    from assistant.deid.lexicon import (
        article_communes,
        keep_words,
        registry_first_names,
        surnames,
    )

    extra: list[_Hit] = []
    starts = {hit.start for hit in hits}
    person_starts = {hit.start: hit.end for hit in hits if hit.type == "PERSONNE"}
    for hit in hits:
        # "HABITAT CARAIBES LOGEMENT": a firm's trailing kind word.
        if hit.type == "ORGANISATION":
            m = _FIRM_KIND_TAIL.match(text, hit.end)
            if m:
                extra.append(_Hit(hit.type, hit.start, m.end(), hit.score, hit.recognizer))
        if hit.type not in ("PERSONNE", "VILLE"):
            continue
        m = _ARTICLE_BEFORE.search(text, max(0, hit.start - 4), hit.start)
        if m:
            article = fold(m.group(1) or "l'").replace("’", "'")
            name = article + ("" if m.group(2) else " ") + fold(text[hit.start : hit.end])
            if name in article_communes() or (
                m.group(1) == "les"
                and text[hit.end - 1] == "s"
                and text[hit.start].isupper()
                and _PLURAL_PLACE_BEFORE.search(text, max(0, hit.start - 16), hit.start)
            ):
                extra.append(_Hit(hit.type, m.start(), hit.end, hit.score, hit.recognizer))
        # "mr rouquette robert 77a": typed in lower case, the first name after the
        # surname (a registered first name that is no French word).
        word_after = _LOWER_WORD_AFTER.match(text, hit.end)
        if (
            word_after
            and hit.type == "PERSONNE"
            and text[hit.start : hit.end].islower()
            and word_after.start(1) not in starts
            and fold(word_after.group(1)) in registry_first_names()
            and fold(word_after.group(1)) not in keep_words()
            and (
                lexicon is None
                or not lexicon.is_lemma(word_after.group(1))
                # ("robert", "pierre" are words too: then only where the name ends,
                # before an age or a punctuation mark, never before a verb.)
                or _NAME_ENDS.match(text, word_after.end(1))
            )
        ):
            extra.append(
                _Hit("PERSONNE", hit.start, word_after.end(1), hit.score * 0.9, hit.recognizer)
            )
        # "mme rose marchand, 81 ans": after a title, typed in lower case, a registered
        # surname after the first name, where the name ends (never "mme rose est…").
        if (
            word_after
            and hit.type == "PERSONNE"
            and text[hit.start : hit.end].islower()
            and word_after.start(1) not in starts
            and (
                _ANY_CASE_TITLE_BEFORE.search(text, max(0, hit.start - 12), hit.start)
                # ("fille agnès moulin, à saint-étienne": or after a family role.)
                or (
                    (role := _WORD_BEFORE.search(text, max(0, hit.start - 20), hit.start))
                    is not None
                    and fold(role.group(1)) in ROLE_WORDS
                )
            )
            and fold(text[hit.start : hit.end]) in registry_first_names()
            and fold(word_after.group(1)) in surnames()
            and fold(word_after.group(1)) not in keep_words()
            and not (lexicon is not None and fold(word_after.group(1)) in lexicon.stop_words)
            # ("mr bouzid bloqué, …": a participle says what happened to him.)
            and not re.search(r"(?:é|ée|és|ées)\Z", word_after.group(1))
            and _NAME_ENDS.match(text, word_after.end(1))
        ):
            extra.append(
                _Hit("PERSONNE", hit.start, word_after.end(1), hit.score * 0.9, hit.recognizer)
            )
        # "mme marie-thérèse de la roche-vernay": two parts of one name either side of
        # a particle make one name.
        m = _PARTICLE_BETWEEN.match(text, hit.end)
        if m and hit.type == "PERSONNE" and m.end() in person_starts:
            extra.append(
                _Hit("PERSONNE", hit.start, person_starts[m.end()], hit.score, hit.recognizer)
            )
        # "dr nguyen van long", "Tran Thi Mai": a Vietnamese middle name and the given
        # name after it.
        m = _VIETNAMESE_MIDDLE.match(text, hit.end)
        if m and hit.type == "PERSONNE" and fold(m.group(1)) not in keep_words():
            extra.append(_Hit("PERSONNE", hit.start, m.end(1), hit.score * 0.9, hit.recognizer))
        # "Batiroute IDF": a firm's region in its short form.
        m = _REGION_ACRONYM_AFTER.match(text, hit.end)
        if m and hit.type in ("PERSONNE", "ORGANISATION"):
            extra.append(_Hit(hit.type, hit.start, m.end(), hit.score, hit.recognizer))
        # "élodie v." signing at a line's end: the initial of the surname goes with it.
        m = _INITIAL_AFTER.match(text, hit.end)
        if m and hit.type == "PERSONNE":
            extra.append(_Hit("PERSONNE", hit.start, m.end(1), hit.score, hit.recognizer))
        # "mme marchand (paulette), 67 ans": the first name given in brackets.
        m = _BRACKETED_FIRST_NAME.match(text, hit.end)
        if (
            m
            and hit.type == "PERSONNE"
            and fold(m.group(1)) in registry_first_names()
            and fold(m.group(1)) not in keep_words()
        ):
            extra.append(_Hit("PERSONNE", m.start(1), m.end(1), hit.score * 0.9, hit.recognizer))
        # "payée par pierre Lefèvre", "| da Silva Rosa |": typed in lower case before a
        # capitalised surname, a registered first name or a particle.
        m = _LOWER_BEFORE_NAME.search(text, max(0, hit.start - 16), hit.start)
        if (
            m
            and hit.type == "PERSONNE"
            and text[hit.start].isupper()
            and m.start(1) not in starts
            and (
                m.group(1) in _FOREIGN_PARTICLES
                or (
                    fold(m.group(1)) in registry_first_names()
                    and fold(m.group(1)) not in keep_words()
                    and not (lexicon is not None and fold(m.group(1)) in lexicon.stop_words)
                )
            )
        ):
            extra.append(_Hit("PERSONNE", m.start(1), hit.end, hit.score * 0.9, hit.recognizer))
        m = _LISTED_GIVEN_BEFORE.search(text, max(0, hit.start - 24), hit.start)
        if (
            m
            and hit.type == "PERSONNE"
            and text[hit.start].isupper()
            and m.start(1) not in starts
            and fold(m.group(1)) in registry_first_names()
            and fold(m.group(1)) not in keep_words()
            and fold(m.group(1)) not in TITLES
            and not (lexicon is not None and fold(m.group(1)) in lexicon.stop_words)
        ):
            extra.append(_Hit("PERSONNE", m.start(1), hit.end, hit.score * 0.9, hit.recognizer))
        m = _SURNAME_AFTER.match(text, hit.end)
        if (
            m
            and hit.type == "PERSONNE"
            and m.start(1) not in starts
            and fold(text[hit.start : hit.end]) in registry_first_names()
            and fold(m.group(1)) in surnames()
            and _TITLE_BEFORE.search(text, max(0, hit.start - 10), hit.start)
        ):
            extra.append(_Hit("PERSONNE", hit.start, m.end(1), hit.score, hit.recognizer))
        # "Fl. Bousquet", "AM. Poli": a shortened first name before the surname. A
        # surname read as a town takes it only where it signs, at a line's start.
        m = _SHORT_GIVEN_BEFORE.search(text, max(0, hit.start - 8), hit.start)
        if m and fold(m.group(1)) not in TITLES and fold(m.group(1)) not in keep_words():
            signing = m.start(1) == text.rfind("\n", 0, hit.start) + 1
            if hit.type == "PERSONNE" or signing:
                extra.append(_Hit("PERSONNE", m.start(1), hit.end, hit.score, hit.recognizer))
        if hit.type == "VILLE":
            continue
        last = re.findall(r"[^\W\d_][\w'’\-]*", text[hit.start : hit.end])
        m = _FIRST_NAME_TAIL.match(text, hit.end)
        if (
            m
            and last
            and fold(last[-1]) in registry_first_names()
            and fold(m.group(1)) not in keep_words()
        ):
            extra.append(_Hit("PERSONNE", hit.start, m.end(), hit.score, hit.recognizer))
        # '| « Titi » Tiphaine Lenglet |': a quoted nickname right before the name.
        m = _QUOTED_RIGHT_BEFORE.search(text, max(0, hit.start - 30), hit.start)
        if m and fold(m.group(1)) not in keep_words() and fold(m.group(1)) not in ROLE_WORDS:
            extra.append(_Hit("PERSONNE", m.start(1), m.end(1), hit.score * 0.9, hit.recognizer))
        # 'Dossier « Coco » (Corentin, 19 ans)': a quoted word explained by a name.
        m = _QUOTED_BEFORE_NAME.search(text, max(0, hit.start - 40), hit.start)
        if m and fold(m.group(1)) not in keep_words():
            extra.append(_Hit("PERSONNE", m.start(1), m.end(1), hit.score * 0.9, hit.recognizer))
        m = _WORD_BEFORE_BRACKETED_NAME.search(text, max(0, hit.start - 40), hit.start)
        if (
            m
            # ("momo (mohamed kaci)": without a title the bracket holds the name alone.)
            and (m.group(2) or re.match(r"[ \t]*[),]", text[hit.end : hit.end + 3]))
            and (m.group(2) or hit.end - hit.start > len(m.group(1)))
            # ("5 enfants de 2 à 14 ans (Nasma, Ibrahim…)": a unit after its number.)
            and not re.search(r"\d[ \t]*\Z", text[max(0, m.start(1) - 3) : m.start(1)])
            # ("auto-entrepreneur (Winterstein Élagage)": words joined are a word.)
            and not (
                lexicon is not None
                and "-" in m.group(1)
                and all(p.casefold() in lexicon for p in m.group(1).split("-") if p)
            )
            and not (lexicon is not None and fold(m.group(1)) in lexicon.stop_words)
            and fold(m.group(1)) not in keep_words()
            and fold(m.group(1)) not in TITLES
            and fold(m.group(1)) not in ROLE_WORDS
            and (lexicon is None or not lexicon.is_lemma(m.group(1)))
        ):
            extra.append(_Hit("PERSONNE", m.start(1), m.end(1), hit.score * 0.9, hit.recognizer))
        # "les PF Gomez & Fils": the family firm's tail.
        m = _FAMILY_FIRM.match(text, hit.end)
        if m:
            extra.append(_Hit(hit.type, hit.start, m.end(), hit.score, hit.recognizer))
        m = _SLASHED_NAME.match(text, hit.end)
        if m and m.start(1) not in starts:
            word = m.group(1)
            if (
                fold(word) not in keep_words()
                and (lexicon is None or not lexicon.is_lemma(word))
                and text[hit.start : hit.end].isupper() == word.isupper()
            ):
                extra.append(
                    _Hit("PERSONNE", m.start(1), m.end(1), hit.score * 0.9, hit.recognizer)
                )
    return extra


# Where a word opens a clause: line start, after punctuation or a conjunction.
_SUBJECT_BEFORE = re.compile(
    r"(?:^|\n|[.;:!?,(—–]\s*|\b(?:que|qu['’]|et|mais|car|puis|donc|alors|quand|si)\s)\s*$",
    re.IGNORECASE,
)


def _propagate(note: _FoldedNote, hits: list[_Hit], lexicon, unmask: list[str]) -> list[_Hit]:
    """Mask the other mentions of a name found once in the note.

    A name recognised in a strong position ("Mme Diallo", "sa fille Jade") is often
    written again where no rule fires ("jade a rechuté", sentence starts). Every word
    of a masked name is searched again in the note; a common French word is only
    taken again when it is capitalised, so "Rose" spreads but "rose" stays.
    """
    from assistant.deid.lexicon import first_names, keep_words, registry_first_names
    from assistant.deid.text import PARTICLES, TITLES

    text = note.text
    keep = keep_words()
    words: dict[str, tuple[float, str]] = {}
    nicknames: set[str] = set()
    typed_lower: set[str] = set()
    name_words = PARTICLES | TITLES
    # "« Ti Jo »" found once: its short word does not spread alone, the phrase does.
    phrases: dict[str, float] = {}
    # "Mme France CHARPENTIER … France dit": a first name that is also a kept word
    # spreads only where it reads as a subject, never after a preposition ("en France").
    kept_names: dict[str, float] = {}
    for hit in hits:
        # Places too: in a table a name may be typed as a town ("| FONTAINE Blanche |"),
        # and a town named once is as identifying the second time.
        if hit.type not in ("PERSONNE", "VILLE") or hit.recognizer == "Override":
            continue
        parts = re.findall(r"[^\W\d_][\w'’\-]*", text[hit.start : hit.end])
        if hit.type == "PERSONNE" and len(parts) >= 2:
            short = [
                p for p in parts if len(p) < 3 and fold(p) not in name_words and p[0].isupper()
            ]
            if short and len(text[hit.start : hit.end]) <= 30:
                phrases[text[hit.start : hit.end]] = hit.score
        for word in parts:
            folded = fold(word)
            if (
                hit.type == "PERSONNE"
                and len(parts) >= 2
                and folded in keep
                and folded in registry_first_names()
                and word[:1].isupper()
                and folded not in unmask
            ):
                kept_names[word] = hit.score
            if (
                len(folded) < 3
                or folded in keep
                or folded in PARTICLES
                or folded in TITLES
                or (lexicon is not None and folded in lexicon.stop_words)  # « les Poiriers »
            ):
                continue
            if folded in unmask:
                continue
            if hit.score > words.get(word, (0.0, ""))[0]:
                words[word] = (hit.score, hit.type)
            # « dit tonton »: a nickname is a name wherever it is written, even in lower
            # case and even when it is also a word.
            if _NICKNAME_BEFORE.search(text[max(0, hit.start - 16) : hit.start]):
                nicknames.add(word)
            # "les enfants prince 6 ans … prince a un retard": a name the note itself
            # writes in lower case spreads in lower case (not after a determiner).
            if text[hit.start : hit.end].islower():
                typed_lower.add(word)
    if not (words or phrases or kept_names):
        return []
    covered = [False] * (len(text) + 1)
    for hit in hits:
        for i in range(hit.start, hit.end):
            covered[i] = True
    extra: list[_Hit] = []
    for phrase, score in phrases.items():
        for start, end in note.find(phrase):
            if not covered[start]:
                extra.append(_Hit("PERSONNE", start, end, round(score * 0.9, 3), "NamePropagation"))
    for word, score in kept_names.items():
        for start, end in note.find(word):
            if (
                covered[start]
                or text[start:end] != word
                or not _SUBJECT_BEFORE.search(text[max(0, start - 12) : start])
                or not re.match(r" [a-zà-ÿ]", text[end : end + 2])
            ):
                continue
            extra.append(_Hit("PERSONNE", start, end, round(score * 0.9, 3), "NamePropagation"))
    person_ends = {
        hit.end for hit in hits if hit.type == "PERSONNE" and text[hit.end : hit.end + 1] == " "
    }
    for word, (score, kind) in words.items():
        # A known first name spreads even in lower case ("morgane enceinte ?"), but a
        # name that is also a dictionary word does not after a determiner: "Pierre" and
        # "pierre a dit" are masked, "une pierre" and "huile d'olive" stay.
        # (The dictionary test, not the inflection table, which also holds surnames:
        # "moreau" found once after "mme" spreads to "yanis moreau".)
        common = lexicon is not None and lexicon.is_lemma(word) and fold(word) not in first_names()
        dictionary = lexicon is not None and lexicon.is_lemma(word)
        for start, end in note.find(word):
            if covered[start]:
                continue
            found = text[start:end]
            # Right after another masked name ("yanis moreau") even a word of the
            # dictionary is the surname found elsewhere in the note.
            after_name = start - 1 in person_ends or start - 2 in person_ends
            lower_word = not found[:1].isupper() and word not in nicknames
            # "Aimé" found once is not "il aime": in lower case, a form whose accents
            # differ from the name's and that is a French word stays.
            if (
                not found[:1].isupper()
                and found.casefold() != word.casefold()
                and lexicon is not None
                and found in lexicon
            ):
                continue
            if lower_word and (
                (common and not after_name and word not in typed_lower)
                or (dictionary and _DETERMINER_BEFORE.search(text[max(0, start - 12) : start]))
            ):
                continue
            extra.append(_Hit(kind, start, end, round(score * 0.9, 3), "NamePropagation"))
    return extra


class _FoldedNote:
    """A note folded (case, accents) once, for the whole analysis: every roster form,
    override and propagated name is searched in it. Lives as long as one analysis,
    so the note's text is not kept after it."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def _folded(self) -> tuple[str, list[int]]:
        return fold_with_offsets(self.text)

    def find(self, needle: str) -> list[tuple[int, int]]:
        """Case- and accent-insensitive whole-word occurrences of ``needle``."""
        target = " ".join(fold(needle).split())
        if not target:
            return []
        folded, index = self._folded
        pattern = re.compile(
            r"(?<!\w)" + r"\s+".join(re.escape(part) for part in target.split(" ")) + r"(?!\w)"
        )
        return [(index[m.start()], index[m.end() - 1] + 1) for m in pattern.finditer(folded)]


def _same_name(
    merged: str,
    placeholder: str,
    type_: str,
    mapping: PseudonymMap,
    roster_forms: dict[str, str],
) -> bool:
    if roster_forms.get(fold(merged)) == placeholder:
        return True
    original = mapping.original(placeholder)
    return original is not None and PseudonymMap.key(type_, merged) == PseudonymMap.key(
        type_, original
    )


def _roster_forms(person: RosterPerson) -> list[str]:
    """Every way a listed person may be written: full name, each part, initials."""
    from assistant.deid.text import PARTICLES, TITLES

    forms: list[str] = []
    names = [person.name, *person.aliases]
    for name in names:
        name = " ".join(name.split())
        if not name:
            continue
        forms.append(name)
        parts = [p for p in re.split(r"\s+", name) if p]
        for part in parts:
            bare = fold(part.strip("."))
            # "Mme" of the alias "Mme K." or "de" of "de La Tour" alone would mask
            # every other Madame and every "de" of the case.
            if bare in TITLES or bare in PARTICLES:
                continue
            if len(part.strip(".")) >= 2:
                forms.append(part)
            for sub in part.split("-"):
                if len(sub) >= 3 and sub != part:
                    forms.append(sub)
        if len(parts) >= 2:
            forms.append(" ".join(reversed(parts)))
    return forms


def _roster_matches(note: _FoldedNote, roster: Sequence[RosterPerson]):
    """(person index, form, start, end) for every roster form found in the note."""
    for index, person in enumerate(roster):
        for form in sorted(set(_roster_forms(person)), key=len, reverse=True):
            for start, end in note.find(form):
                yield index, form, start, end
        # Initials of the listed name: "M.D.", "M. D." (case-sensitive: "md" is too common).
        parts = [p for p in person.name.split() if p[:1].isalpha()]
        if len(parts) >= 2:
            letters = [p[0].upper() for p in parts[:3]]
            pattern = r"(?<!\w)" + r"\.?\s?".join(re.escape(c) for c in letters) + r"\.(?!\w)"
            for m in re.finditer(pattern, note.text):
                yield index, m.group(), m.start(), m.end()


def _unmasked(note: _FoldedNote, hit: _Hit, unmask: list[str]) -> bool:
    span = " ".join(fold(note.text[hit.start : hit.end]).split())
    if span in unmask:
        return True
    for needle in unmask:
        for start, end in note.find(needle):
            if start <= hit.start and hit.end <= end:
                return True
    return False
