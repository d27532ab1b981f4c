"""Compare a draft with its de-identified note and flag what the note does not say.

Every check is local and deterministic: regular expressions over a folded copy
of the text (same offsets, no accents), spaCy French (part of speech, lemmas,
word vectors; the parser and the entity recogniser are skipped for speed) and
the lexicons of ``lexicons.py``. No model is asked to judge another model: a
practitioner must be able to see why a span is flagged, and the reason must
hold on any GGUF the team plugs in.

Weak support is measured by lemma overlap, not by a sentence-similarity model:
it is explainable ("these words are not in the note"), it needs nothing beyond
the spaCy model the de-identifier already loads, and small models hallucinate
mostly by adding content words (a diagnosis, a measure, a relative) that
overlap cannot hide. Stems and (pruned, hence strict) word vectors soften it
for paraphrases.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.review_aids import numbers
from assistant.review_aids.flags import KINDS, Flag
from assistant.review_aids.lexicons import (
    ALL_CONCEPTS,
    ANTONYMS,
    CIVILITIES,
    LIGHT_LEMMAS,
    NEGATION_CUES,
    ROLES,
    SENSITIVE_LABELS,
    SYNONYMS,
    UNIQUE_ROLES,
    Concept,
)
from assistant.review_aids.text import PLACEHOLDER_RE, fold

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

SPACY_MODEL = "fr_core_news_md"

# Tuned on the "dev" cases of eval/review_aids (evaluate.py --sweep), never on
# the "test" cases nor on the unit-test pairs: a draft sentence is "weakly supported" when fewer than this share
# of its content words are found in the note (exactly, by lemma, by family or by
# a close word vector).
SUPPORT_THRESHOLD = 0.5
# Below this many content words a sentence ("Bilan :", "Elle accepte.") says too
# little to be judged on overlap. On dev, 3 finds two more invented sentences
# than 4 for one more flag on the 17 faithful drafts (see evaluate.py --sweep).
MIN_CONTENT_WORDS = 3
# Consecutive content words absent from the note that make an invented detail.
RUN_MIN_WORDS = 2
# Cosine similarity above which two different lemmas count as the same idea.
# fr_core_news_md keeps 20k vectors for 500k words (the rest borrow a
# neighbour's), so lower values match unrelated words ("famille"/"mois" 0.63);
# the dev sweep shows no recall lost at 0.8.
VECTOR_SIMILARITY = 0.8
# Share of a draft clause's content words that a note clause must share before
# their polarities are compared (otherwise they do not speak of the same thing).
NEGATION_OVERLAP = 0.6

_SKIPPED_COMPONENTS = {"parser", "ner", "senter", "entity_ruler", "entity_linker"}
_NO_SENTENCE_START = {".", ",", ")", "»", "!", "?", ":", ";", "…", '"'}
_SENTENCE_END = {".", "!", "?", "…", "...", ";"}
# Capitalised words of letters and reports that name nobody.
_NOT_NAMES = {"cordialement", "bonjour", "objet", "madame", "monsieur", "synthese", "note"}
_CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ", "ADV"}
_CLAUSE_BREAKS = {
    ",",
    ";",
    ":",
    "(",
    ")",
    "mais",
    "car",
    "donc",
    "puis",
    "cependant",
    "toutefois",
    "tandis",
    "alors",
    "et",
    "or",
    "-",
    "—",
    "–",
}
_ACRONYM_ALLOW = {
    "RDV",
    "OK",
    "TV",
    "NB",
    "PS",
    "CV",
    "SMS",
    "RIB",
    "PDF",
    "VAD",
    "M",
    "MME",
    "MLLE",
    "MR",
}

_KIND_ORDER = {kind: i for i, kind in enumerate(KINDS)}


@dataclass
class _Word:
    """One content word of a processed text."""

    i: int
    start: int
    end: int
    lemma: str  # folded lemma, antonyms mapped to their positive side
    text: str  # folded surface form
    negative: bool  # the lemma was a negative antonym ("refuser")
    without: bool = False  # governed by "sans" ("sans emploi")
    vector_key: str = ""  # the accented lemma, as the vectors table knows it
    nominal: bool = False  # noun, proper noun or adjective
    adjective: bool = False
    predicate: bool = False  # a verb: its polarity is the clause's


@dataclass
class _Unit:
    """A sentence or a clause: its span and its content words."""

    start: int
    end: int
    words: list[_Word] = field(default_factory=list)
    negations: int = 0
    cue: tuple[int, int] | None = None  # first negation cue, for the flag span
    # Content words borrowed from the neighbouring clause when this one is too
    # short to be matched alone ("… est complet et | a été envoyé").
    context: set[str] = field(default_factory=set)

    @property
    def lemmas(self) -> set[str]:
        return {w.lemma for w in self.words}

    @property
    def match_lemmas(self) -> set[str]:
        return self.lemmas | self.context

    @property
    def asserts(self) -> bool:
        return any(w.predicate or w.negative or not w.nominal or w.adjective for w in self.words)

    @property
    def verbal(self) -> bool:
        return self.negations > 0 or any(w.predicate for w in self.words)

    def polarity(self, shared: set[str], verbal: bool = True) -> int:
        """Parity of negation cues, negative predicates ("refuse") and "sans X".

        "sans" only negates its own word: it counts when that word is shared
        ("sans emploi" vs "a un emploi"), not when the other side omits it
        ("vit seule" vs "vit seule sans ascenseur").
        """
        count = self.negations
        # A negative verb ("refuse", "a diminué") sets the sense of the whole
        # clause; a negative noun or adjective ("absences") only counts when
        # the other side uses the same word. Against a clause with no verb
        # ("Pour la demande de CSS"), only shared words count.
        count += sum(
            w.negative for w in self.words if (w.predicate and verbal) or w.lemma in shared
        )
        count += sum(w.without for w in self.words if w.lemma in shared)
        return count % 2


@dataclass
class _Analysis:
    text: str
    doc: Doc
    sentences: list[_Unit]
    clauses: list[_Unit]
    lemmas: set[str]
    surfaces: set[str]
    tokens_folded: list[tuple[str, str]]  # (folded text, folded lemma) per token
    vector_keys: dict[str, str] = field(default_factory=dict)  # folded lemma -> accented
    concept_hits: list[tuple[Concept, int, int]] | None = None


class ReviewChecker:
    """Flags what a draft says that its note does not.

    ``nlp`` may be any spaCy French pipeline with a tagger/lemmatizer and
    sentence boundaries (``fr_core_news_md`` gives vectors and entities too);
    when omitted it is loaded lazily, once, on first use.
    """

    def __init__(self, nlp: Language | None = None) -> None:
        self._nlp = nlp
        self._lock = threading.Lock()
        # Instance attribute so that the evaluation can sweep it.
        self.support_threshold = SUPPORT_THRESHOLD
        self.vector_similarity = VECTOR_SIMILARITY
        self.min_content_words = MIN_CONTENT_WORDS
        self._vector_cache: dict[str, np.ndarray | None] = {}

    # -- loading ---------------------------------------------------------

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            with self._lock:
                if self._nlp is None:
                    self._nlp = _load_spacy()
        return self._nlp

    def load(self) -> None:
        """Load the spaCy model now rather than on the first check."""
        _ = self.nlp

    # -- public API ------------------------------------------------------

    def check(self, note: str, draft: str) -> list[Flag]:
        """Every flag for ``draft`` against ``note``, sorted by position in the draft."""
        if not draft.strip():
            return []
        note_a = self._analyse(note)
        draft_a = self._analyse(draft)
        sources = [self._closest(s, note_a) for s in draft_a.sentences]

        def source_for(offset: int) -> str | None:
            for sentence, source in zip(draft_a.sentences, sources, strict=True):
                if sentence.start <= offset < sentence.end:
                    return source
            return sources[-1] if sources else None

        flags: list[Flag] = []
        flags += self._numbers(note, draft, source_for)
        flags += self._placeholders(note, draft, note_a, source_for)
        concept_flags = self._concepts(note_a, draft_a, source_for)
        flags += concept_flags
        # Any lexicon term of the draft, flagged or not, explains its span better
        # than the statistical entity recogniser ("Aide sociale à l'enfance").
        covered = [(start, end) for _, start, end in _concept_hits(draft_a)]
        flags += self._entities(note_a, draft_a, source_for, covered)
        flags += self._support(note_a, draft_a, sources)
        flags += self._negations(note_a, draft_a)
        return _dedupe(flags)

    # -- analysis --------------------------------------------------------

    def _doc(self, text: str) -> Doc:
        """Run spaCy with every pseudonym kept as one token.

        The tokenizer would split "<PERSONNE_1>" into three pieces (and glue
        "LIEU_1>." together); the words are built here instead and the rest of
        the pipeline runs on that Doc, leaving the shared ``nlp`` untouched.
        """
        from spacy.tokens import Doc

        nlp = self.nlp
        words: list[str] = []
        spaces: list[bool] = []
        position = 0

        def add_segment(segment: str) -> None:
            if not segment:
                return
            for token in nlp.tokenizer(segment):
                text = token.text
                if text.startswith(" ") and text.isspace() and words and not spaces[-1]:
                    spaces[-1] = True
                    text = text[1:]
                    if not text:
                        continue
                words.append(text)
                spaces.append(bool(token.whitespace_))

        for match in PLACEHOLDER_RE.finditer(text):
            add_segment(text[position : match.start()])
            words.append(match.group())
            spaces.append(False)
            position = match.end()
        add_segment(text[position:])
        if "".join(w + (" " if s else "") for w, s in zip(words, spaces, strict=True)) != text:
            # Unusual whitespace: plain tokenisation is safer.
            plain = nlp.make_doc(text)
            words = [t.text for t in plain]
            spaces = [bool(t.whitespace_) for t in plain]
        doc = Doc(nlp.vocab, words=words, spaces=spaces, sent_starts=_sentence_starts(words))
        # Only the components the checks use: tagging and lemmas. The parser
        # and the entity recogniser would triple the time of a check; sentences
        # come from punctuation and line breaks, names from capitals.
        for name, component in nlp.pipeline:
            if name not in _SKIPPED_COMPONENTS:
                doc = component(doc)
        return doc

    def _analyse(self, text: str) -> _Analysis:
        doc = self._doc(text)
        tokens_folded = [(fold(t.text), _lemma(t)) for t in doc]
        sentences: list[_Unit] = []
        clauses: list[_Unit] = []
        lemmas: set[str] = set()
        surfaces: set[str] = set()
        for sent in doc.sents:
            if not sent.text.strip():
                continue
            unit = _Unit(sent.start_char, sent.end_char)
            clause = _Unit(sent.start_char, sent.end_char)
            clause_tokens: list[Token] = []
            sent_clauses: list[_Unit] = []
            pending_sans = False
            for token in sent:
                surface, lemma = tokens_folded[token.i]
                surfaces.add(surface)
                lemmas.add(lemma)
                if surface in _CLAUSE_BREAKS and clause_tokens:
                    sent_clauses.append(_close_clause(clause, clause_tokens))
                    clause = _Unit(token.idx, token.idx)
                    clause_tokens = []
                    pending_sans = False
                    continue
                clause_tokens.append(token)
                if surface == "sans":
                    # "sans emploi" negates "emploi", not the whole clause.
                    pending_sans = True
                    if clause.cue is None:
                        clause.cue = (token.idx, token.idx + len(token.text))
                    continue
                if _is_negation(token, surface, lemma):
                    clause.negations += 0 if _continues_negation(token, tokens_folded) else 1
                    if clause.cue is None:
                        clause.cue = (token.idx, token.idx + len(token.text))
                    continue
                word = _content_word(token, surface, lemma)
                if word is not None:
                    if pending_sans:
                        word.without = True
                        pending_sans = False
                    unit.words.append(word)
                    clause.words.append(word)
                    lemmas.add(word.lemma)
            if clause_tokens:
                sent_clauses.append(_close_clause(clause, clause_tokens))
            for k, item in enumerate(sent_clauses):
                if len(item.lemmas) < 3:
                    neighbour = (
                        sent_clauses[k - 1]
                        if k
                        else (sent_clauses[1] if len(sent_clauses) > 1 else None)
                    )
                    if neighbour is not None:
                        item.context = neighbour.lemmas
            clauses.extend(sent_clauses)
            sentences.append(unit)
        vector_keys = {w.lemma: w.vector_key for unit in sentences for w in unit.words}
        return _Analysis(
            text, doc, sentences, clauses, lemmas, surfaces, tokens_folded, vector_keys
        )

    def _closest(self, unit: _Unit, note: _Analysis) -> str | None:
        """The note sentence sharing most content lemmas with ``unit``."""
        best, best_score = None, 0.0
        wanted = unit.lemmas
        if not wanted:
            return None
        for sentence in note.sentences:
            shared = len(wanted & sentence.lemmas)
            if not shared:
                continue
            # Shared words weigh most; shorter note sentences win ties.
            score = shared - 0.01 * len(sentence.lemmas)
            if score > best_score:
                best, best_score = sentence, score
        if best is None:
            return None
        return note.text[best.start : best.end].strip()

    # -- numbers ---------------------------------------------------------

    def _numbers(self, note: str, draft: str, source_for) -> list[Flag]:
        note_mentions = numbers.extract(note)
        flags = []
        for mention in numbers.extract(draft):
            if numbers.supported(mention, note_mentions):
                continue
            what = {
                "date": "Date absente",
                "weekday": "Jour absent",
                "time": "Heure absente",
            }.get(mention.kind, "Nombre absent")
            flags.append(
                Flag(
                    "number",
                    mention.start,
                    mention.end,
                    mention.text,
                    f"{what} de la note : vérifiez « {mention.text} » "
                    "(montant, date, durée ou âge).",
                    source_for(mention.start),
                )
            )
        return flags

    # -- pseudonyms and roles -------------------------------------------

    def _placeholders(self, note: str, draft: str, note_a: _Analysis, source_for) -> list[Flag]:
        known = {m.group() for m in PLACEHOLDER_RE.finditer(note)}
        flags = []
        for match in PLACEHOLDER_RE.finditer(draft):
            if match.group() not in known:
                flags.append(
                    Flag(
                        "placeholder",
                        match.start(),
                        match.end(),
                        match.group(),
                        f"{match.group()} n'apparaît pas dans la note : de qui s'agit-il ?",
                        source_for(match.start()),
                    )
                )
        note_roles = _roles(note)
        by_person: dict[str, list[_RoleMention]] = {}
        for mention in note_roles:
            by_person.setdefault(mention.person, []).append(mention)
        for mention in _roles(draft):
            if mention.person not in known:
                continue
            conflict = _role_conflict(mention, by_person)
            if conflict is None:
                continue
            reason, source_start = conflict
            source = _sentence_at(note_a, source_start)
            flags.append(
                Flag(
                    "role",
                    mention.start,
                    mention.end,
                    draft[mention.start : mention.end],
                    reason,
                    source,
                )
            )
        return flags

    # -- lexicons: measures, institutions, sensitive categories -----------

    def _concepts(self, note_a: _Analysis, draft_a: _Analysis, source_for) -> list[Flag]:
        note_hits = _concept_hits(note_a)
        note_names = {c.name for c, _, _ in note_hits}
        note_categories = {c.category for c, _, _ in note_hits if c.kind == "sensitive"}
        flags = []
        for concept, start, end in _concept_hits(draft_a):
            if concept.name in note_names or any(n in note_names for n in concept.implied_by):
                continue
            if concept.kind == "sensitive":
                if not concept.strict and concept.category in note_categories:
                    continue
                label = SENSITIVE_LABELS[concept.category]
                if concept.category in note_categories:
                    reason = (
                        f"Sujet sensible : le brouillon évoque {concept.label}, "
                        "ce que la note ne dit pas. À vérifier avant de valider."
                    )
                else:
                    reason = (
                        f"Sujet sensible ({label}) : la note n'en parle pas. "
                        "Ne le gardez que si c'est exact et nécessaire."
                    )
            elif concept.kind == "measure":
                reason = (
                    f"Mesure ou procédure absente de la note : {concept.label}. "
                    "Vérifiez qu'elle existe vraiment."
                )
            else:
                reason = (
                    f"Institution ou dispositif absent de la note : {concept.label}. "
                    "Vérifiez qu'il intervient réellement."
                )
            text = draft_a.text[start:end]
            flags.append(Flag(concept.kind, start, end, text, reason, source_for(start)))
        return flags

    def _entities(
        self, note_a: _Analysis, draft_a: _Analysis, source_for, covered: list[tuple[int, int]]
    ) -> list[Flag]:
        """Named entities and acronyms of the draft that the note never names.

        Spans already explained by a lexicon flag (``covered``) are skipped: one
        precise reason is worth more than two vague ones.
        """
        note_words = note_a.surfaces | note_a.lemmas
        flags = []
        seen: set[tuple[int, int]] = set(covered)
        for span in _capitalised_spans(draft_a.doc):
            start_char, end_char = span[0].idx, span[-1].idx + len(span[-1].text)
            if any(s < end_char and start_char < e for s, e in seen):
                continue
            words = [t for t in span if t.is_alpha and not t.is_stop]
            if not words:
                continue
            first = fold(words[0].text)
            if first in CIVILITIES or first in ROLES or first in _NOT_NAMES:
                continue
            if any(_stem_in(fold(t.text), note_words) or _lemma(t) in note_words for t in words):
                continue
            text = draft_a.text[start_char:end_char]
            seen.add((start_char, end_char))
            flags.append(
                Flag(
                    "entity",
                    start_char,
                    end_char,
                    text,
                    f"« {text} » n'est pas nommé dans la note : vérifiez ce nom "
                    "(personne, lieu, organisme).",
                    source_for(start_char),
                )
            )
        note_upper = {t.text for t in note_a.doc if t.text.isupper()}
        for token in draft_a.doc:
            text = token.text
            if not (2 <= len(text) <= 7 and text.isupper() and text.isalpha()):
                continue
            if text in note_upper or text in _ACRONYM_ALLOW or fold(text) in note_words:
                continue
            span = (token.idx, token.idx + len(text))
            if any(s < span[1] and span[0] < e for s, e in seen):
                continue
            flags.append(
                Flag(
                    "entity",
                    span[0],
                    span[1],
                    text,
                    f"Sigle « {text} » absent de la note : vérifiez l'organisme ou le dispositif.",
                    source_for(span[0]),
                )
            )
        return flags

    # -- support and negation -------------------------------------------

    def _supported_lemmas(self, wanted: dict[str, str], note_a: _Analysis) -> dict[str, bool]:
        """Whether each draft lemma is found in the note.

        Lemma overlap is the backbone: it is transparent ("these words are not
        in the note") and robust to inflection. Two softenings keep faithful
        paraphrases quiet: a shared stem of 5+ letters catches derivations
        ("scolarisé"/"scolarité", "hospitalisée"/"hospitalisation"), and the
        model's word vectors catch near-synonyms ("logement"/"appartement").
        """
        result: dict[str, bool] = {}
        note_words = note_a.lemmas | note_a.surfaces
        missing = []
        for lemma in wanted:
            if lemma in note_words or (
                len(lemma) >= 6 and any(len(n) >= 6 and n[:5] == lemma[:5] for n in note_words)
            ):
                result[lemma] = True
            else:
                missing.append(lemma)
        if missing:
            note_matrix = self._matrix(sorted({k for k in note_a.vector_keys.values() if k}))
            for lemma in missing:
                vector = self._vector(wanted[lemma])
                if vector is None or note_matrix is None:
                    result[lemma] = False
                else:
                    result[lemma] = bool((note_matrix @ vector).max() >= self.vector_similarity)
        return result

    def _vector(self, lemma: str) -> np.ndarray | None:
        if lemma not in self._vector_cache:
            vocab = self.nlp.vocab
            vector = None
            if vocab.has_vector(lemma):
                raw = np.asarray(vocab.get_vector(lemma), dtype=np.float32)
                norm = float(np.linalg.norm(raw))
                if norm > 0:
                    vector = raw / norm
            if len(self._vector_cache) > 50_000:
                self._vector_cache.clear()
            self._vector_cache[lemma] = vector
        return self._vector_cache[lemma]

    def _matrix(self, lemmas: list[str]) -> np.ndarray | None:
        rows = [v for v in (self._vector(lemma) for lemma in lemmas) if v is not None]
        return np.vstack(rows) if rows else None

    def _support(
        self, note_a: _Analysis, draft_a: _Analysis, sources: list[str | None]
    ) -> list[Flag]:
        """Sentences, and runs of words, that the note does not support.

        Two granularities: a whole sentence whose content words are mostly
        absent from the note (an invented statement), and, inside any
        sentence, a run of consecutive unsupported content words (an invented
        detail: "suite à un accident du travail").
        """
        wanted = {w.lemma: w.vector_key for s in draft_a.sentences for w in s.words}
        supported = self._supported_lemmas(wanted, note_a)
        # Lexicon terms the note also contains are supported whatever their
        # wording ("Aide sociale à l'enfance" for "ASE").
        note_concepts = {c.name for c, _, _ in _concept_hits(note_a)}
        known_spans = [
            (start, end)
            for concept, start, end in _concept_hits(draft_a)
            if concept.name in note_concepts
        ]

        # Words inside a number ("à deux reprises", "six mois") are the number
        # check's business: judged there, they must not count here.
        known_spans += [(m.start, m.end) for m in numbers.extract(draft_a.text)]

        def ok(word: _Word) -> bool:
            return supported[word.lemma] or any(s <= word.start < e for s, e in known_spans)

        flags = []
        for sentence, source in zip(draft_a.sentences, sources, strict=True):
            lemmas = sentence.lemmas
            found = {w.lemma for w in sentence.words if ok(w)}
            share = len(found) / len(lemmas) if lemmas else 1.0
            if len(lemmas) >= self.min_content_words and share < self.support_threshold:
                absent = sorted(lemmas - found)[:5]
                text = draft_a.text[sentence.start : sentence.end]
                stripped = text.rstrip()
                offset = len(text) - len(text.lstrip())
                flags.append(
                    Flag(
                        "unsupported",
                        sentence.start + offset,
                        sentence.start + len(stripped),
                        stripped[offset:],
                        f"Phrase peu étayée par la note ({round(share * 100)} % de ses mots "
                        f"s'y retrouvent ; absents : {', '.join(absent)}). Vérifiez son contenu.",
                        source,
                    )
                )
                continue
            for run in self._runs(sentence, draft_a, ok):
                if len(run) == len(sentence.words) and not _has_verb(draft_a.doc, sentence):
                    continue  # a heading or a fragment ("Situation familiale")
                start, end = run[0].start, run[-1].end
                text = draft_a.text[start:end]
                flags.append(
                    Flag(
                        "unsupported",
                        start,
                        end,
                        text,
                        f"« {text} » : la note ne dit rien de tel. Vérifiez ce détail.",
                        source,
                    )
                )
        return flags

    def _runs(self, sentence: _Unit, analysis: _Analysis, ok) -> list[list[_Word]]:
        """Runs of consecutive unsupported content words within one clause."""
        doc = analysis.doc
        runs: list[list[_Word]] = []
        current: list[_Word] = []
        for word in sentence.words:
            if PLACEHOLDER_RE.fullmatch(word.lemma) or ok(word):
                if len(current) >= RUN_MIN_WORDS:
                    runs.append(current)
                current = []
                continue
            if current:
                between = doc[current[-1].i + 1 : word.i]
                if (
                    # "insalubre et encombré" is one detail; a comma ends it.
                    any(t.is_punct for t in between) or len(between) > 2
                ):
                    if len(current) >= RUN_MIN_WORDS:
                        runs.append(current)
                    current = []
            current.append(word)
        if len(current) >= RUN_MIN_WORDS:
            runs.append(current)
        # A run needs nouns or adjectives of its own: "assurer le suivi" or
        # "bénéficie de repas" reword the note with a support verb.
        return [run for run in runs if sum(w.nominal for w in run) >= RUN_MIN_WORDS]

    def _negations(self, note_a: _Analysis, draft_a: _Analysis) -> list[Flag]:
        """Clauses of the draft that say the opposite of a note clause on the same thing.

        Two clauses speak of the same thing when most content lemmas of the
        draft clause are in the note clause (antonyms are mapped to one lemma,
        "refuser" = not "accepter"); their polarity is the parity of negation
        cues ("ne … pas", "jamais", "aucun"…) and negative words they share.
        """
        flags = []
        for clause in draft_a.clauses:
            own = clause.lemmas
            # Only nouns ("Selon les parents", "Pour la demande de CSS"): the
            # clause asserts nothing that could be the opposite of the note.
            if not own or not (clause.negations or clause.cue or clause.asserts):
                continue
            # A clause is matched on its own words first; the borrowed context
            # only helps a clause too short to be matched alone.
            matches = _clause_matches(own, own, note_a) if len(own) >= 2 else []
            if not matches and clause.context:
                matches = _clause_matches(clause.match_lemmas, own, note_a, with_context=True)
            if not matches:
                continue
            best_score = max(score for score, _, _ in matches)
            best = [(o, sh) for score, o, sh in matches if score >= best_score - 1e-9]
            # Polarity only looks at each clause's own words: the borrowed
            # context says what the clause is about, not what it asserts.
            if any(
                o.polarity(own & o.lemmas, clause.verbal)
                == clause.polarity(own & o.lemmas, o.verbal)
                for o, _ in best
            ):
                continue
            other, _ = best[0]
            shared = own & other.lemmas
            negative_here = clause.polarity(shared, other.verbal)
            note_sense = {w.lemma: (w.negative, w.without) for w in other.words}
            differing = [
                w
                for w in clause.words
                if w.lemma in note_sense and note_sense[w.lemma] != (w.negative, w.without)
            ]
            flipped = [w for w in clause.words if w.negative or (w.without and w.lemma in shared)]
            if differing:
                start, end = differing[0].start, differing[0].end
            elif clause.cue is not None and negative_here:
                start, end = clause.cue
                # Report the whole negated group ("n'a pas honoré").
                end = max(end, max((w.end for w in clause.words if w.start >= start), default=end))
                end = min(end, clause.end)
            elif flipped:
                start, end = flipped[0].start, flipped[0].end
            else:
                start, end = clause.start, clause.end
            text = draft_a.text[start:end]
            source = _sentence_at(note_a, other.start)
            if negative_here:
                reason = (
                    "Négation ou refus absent de la note : la note dit l'inverse. "
                    "Vérifiez le sens de ce passage."
                )
            else:
                reason = (
                    "La note formule ceci à la négative (ou comme un refus) : "
                    "le brouillon dit l'inverse. Vérifiez le sens de ce passage."
                )
            flags.append(Flag("negation", start, end, text, reason, source))
        return flags


# -- helpers ----------------------------------------------------------------


def _load_spacy() -> Language:
    from assistant.offline import enforce_offline

    enforce_offline()
    import spacy

    try:
        return spacy.load(SPACY_MODEL)
    except OSError as exc:  # never download: say what to install instead
        from assistant.errors import AssistantError

        raise AssistantError(
            f"Le modèle linguistique {SPACY_MODEL} est introuvable : "
            "installez le paquet fr-core-news-md (make install)."
        ) from exc


def _stem_in(word: str, vocabulary: set[str]) -> bool:
    """Whether ``word`` or a word of its family is in ``vocabulary``.

    "Comores" / "comorienne", "Guinée" / "guinéen": a five-letter stem (or the
    word minus its last letter when shorter) is enough for proper nouns.
    """
    if word in vocabulary:
        return True
    stem = word[:5] if len(word) >= 6 else word[:-1] if len(word) >= 4 else word
    return any(v.startswith(stem) for v in vocabulary)


def _lemma(token: Token) -> str:
    if PLACEHOLDER_RE.fullmatch(token.text):
        return token.text
    lemma = token.lemma_ or token.text
    return fold(lemma)


def _raw(token: Token) -> str:
    # Negation is read on the raw form: folded, "né" (born) would read "ne".
    return token.text.lower().replace("\u2019", "'")


def _is_negation(token: Token, surface: str, lemma: str) -> bool:
    raw = _raw(token)
    if raw in ("ne", "n'", "pas", "point"):
        return True
    # "plus", "personne" and "ni" are too ambiguous to count alone.
    return surface in NEGATION_CUES and surface not in ("ni", "ne", "n'")


def _continues_negation(token: Token, tokens_folded: list[tuple[str, str]]) -> bool:
    """True for the second half of "ne ... pas/jamais/rien/aucun/plus" (counted once)."""
    if _raw(token) in ("ne", "n'"):
        return False
    doc = token.doc
    for j in range(token.i - 1, max(token.sent.start, token.i - 6) - 1, -1):
        if _raw(doc[j]) in ("ne", "n'"):
            return True
        if tokens_folded[j][0] in _CLAUSE_BREAKS:
            break
    return False


def _content_word(token: Token, surface: str, lemma: str) -> _Word | None:
    if PLACEHOLDER_RE.fullmatch(token.text):
        return _Word(
            token.i,
            token.idx,
            token.idx + len(token.text),
            token.text,
            token.text,
            False,
            nominal=True,
        )
    if (
        token.pos_ not in _CONTENT_POS
        or token.is_punct
        or (not token.is_alpha and "-" not in token.text)
    ):
        return None
    if token.is_stop or lemma in LIGHT_LEMMAS or surface in LIGHT_LEMMAS or len(surface) < 2:
        return None
    negative = False
    # Participles the lemmatizer keeps as adjectives ("dégradée") are looked
    # up as verbs too.
    infinitive = re.sub(r"(?:e|ee|es|ees|is|ie|ies)$", "er", surface)
    for form in (lemma, surface, infinitive):
        if form in ANTONYMS:
            lemma, negative = ANTONYMS[form], True
            break
        if form in SYNONYMS:
            lemma = SYNONYMS[form]
            break
    return _Word(
        token.i,
        token.idx,
        token.idx + len(token.text),
        lemma,
        surface,
        negative,
        predicate=token.pos_ in ("VERB", "AUX"),
        vector_key=(token.lemma_ or token.text).lower(),
        nominal=token.pos_ in ("NOUN", "PROPN", "ADJ"),
        adjective=token.pos_ == "ADJ",
    )


def _close_clause(clause: _Unit, tokens: list[Token]) -> _Unit:
    clause.start = tokens[0].idx
    clause.end = tokens[-1].idx + len(tokens[-1].text)
    return clause


def _capitalised_spans(doc: Doc) -> list[list[Token]]:
    """Proper names: runs of capitalised words ("Transports Martin", "Lyon").

    The tagger must call one of the words a proper noun (so a capital at the
    start of a sentence or a heading is not a name); all-capital words are
    left to the acronym check.
    """
    spans: list[list[Token]] = []
    current: list[Token] = []
    pending: list[Token] = []  # "de", "du"… inside a name ("Maison des Familles")

    def close() -> None:
        nonlocal current, pending
        # The tagger must see a proper noun in it: a capitalised common noun
        # ("**Situation** :", "Cordialement") names nobody.
        # Alone at the start of a sentence or heading ("### Projet"), a
        # capital says nothing either.
        if (
            current
            and any(t.pos_ == "PROPN" for t in current)
            and not (len(current) == 1 and _starts_line_or_sentence(current[0]))
        ):
            spans.append(current)
        current, pending = [], []

    for token in doc:
        text = token.text
        capital = (
            text[:1].isupper()
            and not (text.isupper() and len(text) > 1)  # acronyms: checked apart
            and token.is_alpha
            and not PLACEHOLDER_RE.fullmatch(text)
            and fold(text) not in CIVILITIES
        )
        if capital:
            current.extend(pending)
            pending = []
            current.append(token)
        elif current and fold(text) in ("de", "du", "des", "d'", "la", "l'") and not pending:
            pending.append(token)
        else:
            close()
    close()
    return spans


def _has_verb(doc: Doc, unit: _Unit) -> bool:
    span = doc.char_span(unit.start, unit.end, alignment_mode="expand")
    return span is not None and any(t.pos_ in ("VERB", "AUX") for t in span)


def _starts_line_or_sentence(token: Token) -> bool:
    """First word of a sentence, or first word after list or heading marks."""
    for j in range(token.i - 1, token.sent.start - 1, -1):
        if token.doc[j].is_alpha or PLACEHOLDER_RE.fullmatch(token.doc[j].text):
            return False
    return True


def _sentence_starts(words: list[str]) -> list[bool]:
    """Sentence starts after final punctuation and after line breaks (lists).

    Given to the Doc when it is built: setting ``token.is_sent_start`` token by
    token afterwards re-scans the document each time (quadratic on long notes).
    """
    starts = []
    for i, word in enumerate(words):
        if i == 0:
            starts.append(True)
            continue
        previous = words[i - 1]
        starts.append(
            (previous in _SENTENCE_END and word not in _NO_SENTENCE_START)
            or ("\n" in previous and not word.isspace())
        )
    return starts


def _clause_matches(
    lemmas: set[str], own: set[str], note_a: _Analysis, with_context: bool = False
) -> list[tuple[float, _Unit, set[str]]]:
    """Note clauses that speak of the same thing as a draft clause, with a score."""
    matches = []
    for other in note_a.clauses:
        if not other.words:
            continue
        # Same rule on the note side: own words, context only for short clauses.
        theirs = other.match_lemmas if with_context or len(other.lemmas) < 2 else other.lemmas
        shared = lemmas & theirs
        if len(shared) >= 2 and len(shared) / len(lemmas) >= NEGATION_OVERLAP and own & shared:
            score = len(shared) / max(len(lemmas | theirs), 1)
            matches.append((score, other, shared))
    return matches


def _sentence_at(analysis: _Analysis, offset: int) -> str | None:
    for sentence in analysis.sentences:
        if sentence.start <= offset < sentence.end:
            return analysis.text[sentence.start : sentence.end].strip()
    return None


# Lexicon matching ----------------------------------------------------------

_ENTRY_INDEX: dict[str, list[tuple[Concept, tuple[str, ...]]]] | None = None
# Prefix entries ("psychiatr*") indexed by their first three letters: a token
# is only compared with the few stems that could match it.
_PREFIX_ENTRIES: dict[str, list[tuple[Concept, tuple[str, ...]]]] = {}
_PREFIX_LOCK = threading.Lock()


def _entry_words(entry: str) -> tuple[str, ...]:
    # "d'accueil" is two tokens for spaCy ("d'", "accueil").
    return tuple(re.findall(r"[\w\-*.]+'|[\w\-*.]+", entry))


def _index() -> dict[str, list[tuple[Concept, tuple[str, ...]]]]:
    global _ENTRY_INDEX
    with _PREFIX_LOCK:
        if _ENTRY_INDEX is None:
            index: dict[str, list[tuple[Concept, tuple[str, ...]]]] = {}
            for concept in ALL_CONCEPTS:
                for entry in concept.entries:
                    words = _entry_words(entry)
                    if words[0].endswith("*"):
                        _PREFIX_ENTRIES.setdefault(words[0][:3], []).append((concept, words))
                    else:
                        index.setdefault(words[0], []).append((concept, words))
            _ENTRY_INDEX = index
    return _ENTRY_INDEX


def _prefix_candidates(surface: str, lemma: str) -> list[tuple[Concept, tuple[str, ...]]]:
    found = []
    for key in {surface[:3], lemma[:3]}:
        for entry in _PREFIX_ENTRIES.get(key, ()):
            if _word_matches(entry[1][0], surface, lemma):
                found.append(entry)
    return found


def _word_matches(pattern: str, surface: str, lemma: str) -> bool:
    if pattern.endswith("*"):
        stem = pattern[:-1]
        return surface.startswith(stem) or lemma.startswith(stem)
    return pattern in (surface, lemma)


def _concept_hits(analysis: _Analysis) -> list[tuple[Concept, int, int]]:
    """Lexicon terms of a text (computed once per analysed text)."""
    if analysis.concept_hits is None:
        analysis.concept_hits = _find_concepts(analysis)
    return analysis.concept_hits


def _find_concepts(analysis: _Analysis) -> list[tuple[Concept, int, int]]:
    index = _index()
    tokens = analysis.tokens_folded
    doc = analysis.doc
    hits: list[tuple[Concept, int, int]] = []
    covered: set[tuple[str, int]] = set()
    for i, (surface, lemma) in enumerate(tokens):
        candidates = index.get(surface, []) + (index.get(lemma, []) if lemma != surface else [])
        candidates += _prefix_candidates(surface, lemma)
        # Longest entries first, so "garde à vue" wins over "garde".
        for concept, words in sorted(candidates, key=lambda e: -len(e[1])):
            if (concept.name, i) in covered:
                continue
            if i + len(words) > len(tokens):
                continue
            if all(_word_matches(w, *tokens[i + k]) for k, w in enumerate(words)):
                # Upper-case acronyms only ("IP", "TS", "ASE"), never the word "ase".
                if len(words) == 1 and len(words[0]) <= 4 and not words[0].endswith("*"):
                    token_text = doc[i].text
                    if (
                        words[0].isalpha()
                        and not token_text.isupper()
                        and words[0] in _SHORT_ACRONYMS
                    ):
                        continue
                start = doc[i].idx
                last = doc[i + len(words) - 1]
                hits.append((concept, start, last.idx + len(last.text)))
                for k in range(len(words)):
                    covered.add((concept.name, i + k))
    return hits


_SHORT_ACRONYMS = {
    "ip",
    "ts",
    "ase",
    "ame",
    "caf",
    "pmi",
    "cmp",
    "jde",
    "jaf",
    "tig",
    "ime",
    "aed",
    "opp",
    "hdt",
    "maj",
    "fsl",
    "msa",
    "css",
    "cmu",
    "esat",
    "masp",
    "aemo",
    "mjie",
    "spip",
    "pjj",
    "hlm",
    "lgbt",
}


# Roles -----------------------------------------------------------------------


@dataclass(frozen=True)
class _RoleMention:
    person: str
    role: str | None  # canonical role, None for a civility
    gender: str | None
    start: int
    end: int


_ROLE_ALT = "|".join(re.escape(r) for r in sorted(ROLES, key=len, reverse=True))
_CIV_ALT = "|".join(re.escape(c) for c in sorted(CIVILITIES, key=len, reverse=True))
_DET = r"(?:(?:le|la|l'|sa|son|leur|notre|votre|un|une)\s*)?"
_PH = r"<[a-z][a-z_]*_\d+>"
# One qualifier may sit between a role and the name ("l'éducateur AEMO <P_1>"),
# but never a preposition: "la mère de <P_2>" says nothing of <P_2>'s role.
_QUALIFIER = r"(?:\s+(?!(?:de|du|des|d|et|ou|avec|chez|pour|par|a|au|aux|sans|en|qui|que|est|sont|a)\b)[\w-]+)?"
_ROLE_AFTER = re.compile(
    rf"({_PH})\s*(?:,|\(|-|est|etait|qui est)?\s*{_DET}({_ROLE_ALT})(?:\s+({_ROLE_ALT}))?(?![\w-])"
)
_ROLE_BEFORE = re.compile(
    rf"(?<![\w-])(?:({_ROLE_ALT})\s+)?({_ROLE_ALT}){_QUALIFIER}\s*(?:,|\()?\s*(?:(?:{_CIV_ALT})\s*)?({_PH})"
)
_CIVILITY = re.compile(rf"(?<![\w-])({_CIV_ALT})\s*({_PH})")


def _roles(text: str) -> list[_RoleMention]:
    """Who the text says each pseudonym is: civility (gender) and role nouns."""
    folded = fold(text)
    mentions: list[_RoleMention] = []

    def add(person_span: tuple[int, int], word: str | None, start: int, end: int) -> None:
        if word is None:
            return
        person = text[person_span[0] : person_span[1]]
        role, gender = ROLES[word]
        mentions.append(_RoleMention(person, role, gender, start, end))

    before = list(_ROLE_BEFORE.finditer(folded))
    for m in before:
        add(m.span(3), m.group(1), m.start(), m.end())
        add(m.span(3), m.group(2), m.start(), m.end())
    for m in _ROLE_AFTER.finditer(folded):
        # In "l'éducateur <P_1>, la psychologue <P_2>" the role after <P_1>
        # introduces <P_2>: a role that opens a "role <name>" group is skipped.
        if any(b.start() <= m.start(2) < b.end() for b in before):
            continue
        add(m.span(1), m.group(2), m.start(), m.end())
        add(m.span(1), m.group(3), m.start(), m.end())
    for m in _CIVILITY.finditer(folded):
        person = text[m.start(2) : m.end(2)]
        mentions.append(_RoleMention(person, None, CIVILITIES[m.group(1)], m.start(), m.end()))
    return mentions


def _role_conflict(
    mention: _RoleMention, by_person: dict[str, list[_RoleMention]]
) -> tuple[str, int] | None:
    known = by_person.get(mention.person, [])
    genders = {m.gender for m in known if m.gender}
    roles = {m.role for m in known if m.role}
    if mention.gender and genders and mention.gender not in genders:
        said = next(m for m in known if m.gender)
        return (
            f"La note ne présente pas {mention.person} ainsi (genre ou rôle différent) : "
            "vérifiez de qui il s'agit.",
            said.start,
        )
    if mention.role and roles and mention.role not in roles:
        said = next(m for m in known if m.role)
        return (
            f"Dans la note, {mention.person} n'a pas ce rôle : vérifiez l'attribution.",
            said.start,
        )
    if mention.role and not roles and (mention.role, mention.gender) in UNIQUE_ROLES:
        for person, others in by_person.items():
            if person != mention.person and any(
                (o.role, o.gender) == (mention.role, mention.gender) for o in others
            ):
                return (
                    f"Dans la note, ce rôle est celui de {person}, pas de {mention.person}.",
                    others[0].start,
                )
    return None


def _dedupe(flags: list[Flag]) -> list[Flag]:
    seen: set[tuple[str, int, int]] = set()
    result = []
    for flag in sorted(flags, key=lambda f: (f.start, _KIND_ORDER.get(f.kind, 99), f.end)):
        key = (flag.kind, flag.start, flag.end)
        if key in seen:
            continue
        seen.add(key)
        result.append(flag)
    return result


_default: ReviewChecker | None = None
_default_lock = threading.Lock()


def get_default_checker() -> ReviewChecker:
    """The process-wide checker (its spaCy model loads on first use)."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = ReviewChecker()
    return _default


def _debug(checker: ReviewChecker, note: str, draft: str) -> list[dict[str, Any]]:
    return [f.to_dict() for f in checker.check(note, draft)]
