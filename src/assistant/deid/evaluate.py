"""`make eval-deid`: how much of the annotated notes leaks, ours vs Presidio's default French setup.

    python -m assistant.deid.evaluate [--dir eval/deid] [--split all|dev|heldout] [--details]

A gold identifier counts as masked when every letter and digit of it lies inside
a detected entity (the exact type does not matter for a leak). A key fact is
kept when it is still present, verbatim, in the de-identified text.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

DIRECT_TYPES = {
    "PERSONNE",
    "TEL",
    "EMAIL",
    "ADRESSE",
    "NIR",
    "NUM_CAF",
    "NUM_FT",
    "IBAN",
    "PLAQUE",
    "NUM_TITRE",
    "NUM_DOSSIER",
    "URL",
}
TARGETS = {"direct": 0.995, "all": 0.98, "clean": 0.90, "facts": 0.97}
# The newest blind batches, whose fix round is not finished (their first, blind scores
# and where they stand are in eval/deid/README.md). The target test leaves them out
# until it is; a looser floor on the whole set still guards them against regressions.
# Empty since heldout33's fix round: the whole set, heldout20 and 21 included, meets
# the targets (what is left in those two is listed, and left alone, in the README).
BLIND_PENDING: frozenset[str] = frozenset()
_GOLD_RE = re.compile(r"\[\[(.+?)\|([A-Z_]+)\]\]", re.DOTALL)


@dataclass
class Note:
    id: str
    kind: str
    split: str
    text: str
    gold: list[tuple[str, int, int]]  # (type, start, end)
    facts: list[str] = field(default_factory=list)


def default_dir() -> Path:
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "eval" / "deid"
        if candidate.is_dir():
            return candidate
    return Path.cwd() / "eval" / "deid"


def parse_notes(raw: str) -> list[Note]:
    notes: list[Note] = []
    for block in re.split(r"^=== ", raw, flags=re.MULTILINE)[1:]:
        header, _, body = block.partition("\n")
        meta = dict(part.strip().split(":", 1) for part in header.split("|") if ":" in part)
        meta = {k.strip(): v.strip() for k, v in meta.items()}
        body, _, facts_raw = body.partition("\n--- faits\n")
        text_parts: list[str] = []
        gold: list[tuple[str, int, int]] = []
        cursor = 0
        length = 0
        for m in _GOLD_RE.finditer(body):
            before = body[cursor : m.start()]
            text_parts.append(before)
            length += len(before)
            value = m.group(1)
            gold.append((m.group(2), length, length + len(value)))
            text_parts.append(value)
            length += len(value)
            cursor = m.end()
        text_parts.append(body[cursor:])
        text = "".join(text_parts).strip("\n")
        facts = [f.strip() for f in facts_raw.splitlines() if f.strip()]
        notes.append(
            Note(
                id=meta.get("id", f"n{len(notes) + 1}"),
                kind=meta.get("kind", ""),
                split=meta.get("split", "dev"),
                text=text,
                gold=gold,
                facts=facts,
            )
        )
    return notes


def load_notes(directory: Path | None = None, split: str = "all") -> list[Note]:
    directory = directory or default_dir()
    notes: list[Note] = []
    for path in sorted(directory.glob("notes_*.txt")):
        notes.extend(parse_notes(path.read_text(encoding="utf-8")))
    if split != "all":
        notes = [n for n in notes if n.split == split]
    return notes


@dataclass
class Scores:
    per_type: dict[str, tuple[int, int]]  # type -> (masked, total)
    direct: float
    all: float
    clean: float
    facts: float
    seconds: float
    misses: list[tuple[str, str, str]]  # (note id, type, text)
    lost_facts: list[tuple[str, str]]

    def meets_targets(self) -> bool:
        return (
            self.direct >= TARGETS["direct"]
            and self.all >= TARGETS["all"]
            and self.clean >= TARGETS["clean"]
            and self.facts >= TARGETS["facts"]
        )


# A system maps a text to (masked spans, de-identified text).
System = Callable[[str], tuple[list[tuple[int, int]], str]]


def score(notes: list[Note], system: System) -> Scores:
    per_type: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    direct = [0, 0]
    total = [0, 0]
    clean = 0
    facts = [0, 0]
    misses: list[tuple[str, str, str]] = []
    lost: list[tuple[str, str]] = []
    started = time.perf_counter()
    for note in notes:
        spans, output = system(note.text)
        covered = [False] * len(note.text)
        for start, end in spans:
            for i in range(max(0, start), min(end, len(note.text))):
                covered[i] = True
        note_clean = True
        for type_, start, end in note.gold:
            ok = all(covered[i] for i in range(start, end) if note.text[i].isalnum())
            per_type[type_][1] += 1
            total[1] += 1
            if type_ in DIRECT_TYPES:
                direct[1] += 1
            if ok:
                per_type[type_][0] += 1
                total[0] += 1
                if type_ in DIRECT_TYPES:
                    direct[0] += 1
            else:
                note_clean = False
                misses.append((note.id, type_, note.text[start:end]))
        clean += note_clean
        for fact in note.facts:
            facts[1] += 1
            if fact in output:
                facts[0] += 1
            else:
                lost.append((note.id, fact))
    elapsed = time.perf_counter() - started

    def ratio(pair: list[int]) -> float:
        return pair[0] / pair[1] if pair[1] else 1.0

    return Scores(
        per_type={k: (v[0], v[1]) for k, v in sorted(per_type.items())},
        direct=ratio(direct),
        all=ratio(total),
        clean=clean / len(notes) if notes else 1.0,
        facts=ratio(facts),
        seconds=elapsed,
        misses=misses,
        lost_facts=lost,
    )


def our_system() -> System:
    from assistant.deid import get_default_deidentifier

    deid = get_default_deidentifier()
    deid.load()

    def run(text: str) -> tuple[list[tuple[int, int]], str]:
        result = deid.pseudonymise(text)
        return [(e.start, e.end) for e in result.entities], result.text

    return run


def presidio_default_analyzer():
    """Presidio's default French configuration: spaCy fr_core_news_md + default recognizers."""
    from assistant.offline import enforce_offline

    enforce_offline()
    import spacy

    if not spacy.util.is_package("fr_core_news_md"):
        from assistant.errors import AssistantError

        raise AssistantError("Le modèle « fr_core_news_md » n'est pas installé.")
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    engine = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "fr", "model_name": "fr_core_news_md"}],
        }
    ).create_engine()
    return AnalyzerEngine(nlp_engine=engine, supported_languages=["fr"])


def presidio_system() -> System:
    analyzer = presidio_default_analyzer()

    def run(text: str) -> tuple[list[tuple[int, int]], str]:
        results = sorted(analyzer.analyze(text, language="fr"), key=lambda r: r.start)
        spans = [(r.start, r.end) for r in results]
        out, cursor = [], 0
        for r in results:
            if r.start < cursor:
                cursor = max(cursor, r.end)
                continue
            out.append(text[cursor : r.start])
            out.append(f"<{r.entity_type}>")
            cursor = r.end
        out.append(text[cursor:])
        return spans, "".join(out)

    return run


def _report(title: str, s: Scores) -> None:
    print(f"\n## {title}")
    print(f"{'type':14} {'rappel':>8} {'masqués':>8}")
    for type_, (ok, n) in s.per_type.items():
        print(f"{type_:14} {ok / n:8.1%} {ok:>4}/{n:<4}")
    print(f"identifiants directs masqués   : {s.direct:.1%}  (cible >= {TARGETS['direct']:.1%})")
    print(f"données identifiantes masquées : {s.all:.1%}  (cible >= {TARGETS['all']:.0%})")
    print(f"notes entièrement propres      : {s.clean:.1%}  (cible >= {TARGETS['clean']:.0%})")
    print(f"faits clés conservés           : {s.facts:.1%}  (cible >= {TARGETS['facts']:.0%})")
    print(f"durée                          : {s.seconds:.2f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Évalue la désidentification sur eval/deid.")
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument("--split", default="all", help="all, dev, heldout, heldout2…")
    parser.add_argument("--details", action="store_true", help="liste les oublis")
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args(argv)
    notes = load_notes(args.dir, args.split)
    if not notes:
        print("Aucune note d'évaluation trouvée.", file=sys.stderr)
        return 2
    n_gold = sum(len(n.gold) for n in notes)
    n_facts = sum(len(n.facts) for n in notes)
    print(f"{len(notes)} notes, {n_gold} identifiants annotés, {n_facts} faits clés ({args.split})")
    system = our_system()
    ours = score(notes, system)
    _report("assistant.deid (recognizers français)", ours)
    splits = sorted({n.split for n in notes})
    if len(splits) > 1:
        # Held-out lots were written after the recognizers and first scored unseen.
        print("\npar lot             notes  directs  tous     propres  faits")
        for split in splits:
            subset = [n for n in notes if n.split == split]
            s = score(subset, system)
            print(
                f"{split:18} {len(subset):6} {s.direct:8.1%} {s.all:8.1%} "
                f"{s.clean:8.1%} {s.facts:6.1%}"
            )
    if args.details:
        for note_id, type_, text in ours.misses:
            print(f"  OUBLI  {note_id} {type_}: {text!r}")
        for note_id, fact in ours.lost_facts:
            print(f"  PERDU  {note_id}: {fact!r}")
    if not args.no_baseline:
        base = score(notes, presidio_system())
        _report("Presidio, configuration française par défaut (référence)", base)
    print("\nCibles atteintes." if ours.meets_targets() else "\nCibles NON atteintes.")
    return 0 if ours.meets_targets() else 1


if __name__ == "__main__":
    raise SystemExit(main())
