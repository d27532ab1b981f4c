"""`make eval-review-aids`: recall on planted errors, flags on faithful drafts.

The evaluation set lives in ``eval/review_aids/cases_*.json``: each case is a
de-identified note with several drafts; a draft lists the facts planted in it
(``kind`` and the exact ``text`` of the span), or none for a faithful
paraphrase. A planted fact counts as found when a flag overlaps its span
("any kind"), and as well typed when a flag of the planted kind overlaps it.

Cases carry ``split``: "dev" (used to tune the thresholds, see ``--sweep``) or
"test" (never tuned on). Figures are printed for both and overall.

    python -m assistant.review_aids.evaluate [--split dev|test|all] [--details] [--sweep]
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from assistant.review_aids.checker import ReviewChecker
from assistant.review_aids.flags import KINDS, Flag

DEFAULT_DIR = Path(__file__).resolve().parents[3] / "eval" / "review_aids"


@dataclass(frozen=True)
class Planted:
    kind: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Pair:
    case_id: str
    draft_id: str
    split: str
    genre: str
    note: str
    draft: str
    planted: tuple[Planted, ...]

    @property
    def faithful(self) -> bool:
        return not self.planted


def load_pairs(directory: Path = DEFAULT_DIR) -> list[Pair]:
    """Every (note, draft) pair of the evaluation set, planted spans located."""
    pairs: list[Pair] = []
    for path in sorted(directory.glob("cases_*.json")):
        for case in json.loads(path.read_text(encoding="utf-8")):
            for draft in case["drafts"]:
                planted = []
                for item in draft["planted"]:
                    if item["kind"] not in KINDS:
                        raise ValueError(f"{case['id']}/{draft['id']}: type inconnu {item['kind']}")
                    start = -1
                    for _ in range(item.get("occurrence", 1)):
                        start = draft["draft"].find(item["text"], start + 1)
                    if start < 0:
                        raise ValueError(f"{case['id']}/{draft['id']}: « {item['text']} » absent")
                    planted.append(
                        Planted(item["kind"], start, start + len(item["text"]), item["text"])
                    )
                pairs.append(
                    Pair(
                        case["id"],
                        draft["id"],
                        case.get("split", "dev"),
                        case.get("genre", ""),
                        case["note"],
                        draft["draft"],
                        tuple(planted),
                    )
                )
    return pairs


def _overlaps(flag: Flag, planted: Planted) -> bool:
    return flag.start < planted.end and planted.start < flag.end


@dataclass
class Report:
    pairs: int = 0
    faithful: int = 0
    planted: int = 0
    found: int = 0
    typed: int = 0
    found_by_kind: Counter | None = None
    typed_by_kind: Counter | None = None
    planted_by_kind: Counter | None = None
    faithful_flags: int = 0
    faithful_flagged: int = 0
    faithful_flags_by_kind: Counter | None = None
    extra_flags: int = 0  # flags on drafts with errors that overlap no planted span
    erroneous: int = 0
    ms: list[float] | None = None

    def __post_init__(self) -> None:
        self.found_by_kind = Counter()
        self.typed_by_kind = Counter()
        self.planted_by_kind = Counter()
        self.faithful_flags_by_kind = Counter()
        self.ms = []


def evaluate(
    pairs: list[Pair], checker: ReviewChecker, details: bool = False, out=sys.stdout
) -> Report:
    report = Report()
    for pair in pairs:
        started = time.perf_counter()
        flags = checker.check(pair.note, pair.draft)
        report.ms.append((time.perf_counter() - started) * 1000)
        report.pairs += 1
        if pair.faithful:
            report.faithful += 1
            report.faithful_flags += len(flags)
            report.faithful_flagged += bool(flags)
            report.faithful_flags_by_kind.update(f.kind for f in flags)
            if details and flags:
                print(f"\n[fidèle signalé] {pair.case_id}/{pair.draft_id}", file=out)
                for flag in flags:
                    print(f"   {flag.kind:12} « {flag.text} » — {flag.reason}", file=out)
            continue
        report.erroneous += 1
        for planted in pair.planted:
            report.planted += 1
            report.planted_by_kind[planted.kind] += 1
            hits = [f for f in flags if _overlaps(f, planted)]
            if hits:
                report.found += 1
                report.found_by_kind[planted.kind] += 1
            if any(f.kind == planted.kind for f in hits):
                report.typed += 1
                report.typed_by_kind[planted.kind] += 1
            if details and not hits:
                print(
                    f"\n[manqué] {pair.case_id}/{pair.draft_id} {planted.kind}: « {planted.text} »",
                    file=out,
                )
        extra = [f for f in flags if not any(_overlaps(f, p) for p in pair.planted)]
        report.extra_flags += len(extra)
        if details and extra:
            print(f"\n[en trop] {pair.case_id}/{pair.draft_id}", file=out)
            for flag in extra:
                print(f"   {flag.kind:12} « {flag.text} » — {flag.reason}", file=out)
    return report


def _pct(num: int, den: int) -> str:
    return f"{100 * num / den:5.1f} %" if den else "    —"


def print_report(title: str, report: Report, out=sys.stdout) -> None:
    print(
        f"\n== {title} : {report.pairs} paires "
        f"({report.erroneous} avec erreurs plantées, {report.faithful} fidèles) ==",
        file=out,
    )
    print(
        f"Rappel sur les erreurs plantées : {_pct(report.found, report.planted)} "
        f"({report.found}/{report.planted}, un signalement chevauche l'erreur) ; "
        f"bon type : {_pct(report.typed, report.planted)}",
        file=out,
    )
    print(f"  {'type':12} {'plantées':>8} {'rappel':>9} {'bon type':>9}", file=out)
    for kind in KINDS:
        total = report.planted_by_kind[kind]
        if total:
            print(
                f"  {kind:12} {total:8d} {_pct(report.found_by_kind[kind], total):>9} "
                f"{_pct(report.typed_by_kind[kind], total):>9}",
                file=out,
            )
    per_draft = report.faithful_flags / report.faithful if report.faithful else 0.0
    print(
        f"Textes fidèles : {per_draft:.2f} signalement(s) par brouillon ; "
        f"{_pct(report.faithful_flagged, report.faithful)} des brouillons fidèles ont au moins "
        f"un signalement ({report.faithful_flagged}/{report.faithful})",
        file=out,
    )
    if report.faithful_flags_by_kind:
        kinds = ", ".join(f"{k} {n}" for k, n in report.faithful_flags_by_kind.most_common())
        print(f"  signalements sur textes fidèles, par type : {kinds}", file=out)
    if report.erroneous:
        print(
            f"Signalements hors erreurs plantées (brouillons avec erreurs) : "
            f"{report.extra_flags / report.erroneous:.2f} par brouillon",
            file=out,
        )
    if report.ms:
        print(f"Temps médian par paire : {statistics.median(report.ms):.0f} ms", file=out)


def sweep(pairs: list[Pair], checker: ReviewChecker, out=sys.stdout) -> None:
    """Recall vs. flags on faithful drafts for the support thresholds (run on dev)."""
    print(
        "\nmots vecteurs seuil  rappel(tous)  rappel(peu étayé)  signalements/fidèle"
        "  fidèles signalés",
        file=out,
    )
    for words, similarity, threshold in itertools.product(
        (3, 4), (0.7, 0.8, 1.01), (0.4, 0.5, 0.6)
    ):
        checker.min_content_words = words
        checker.support_threshold = threshold
        checker.vector_similarity = similarity
        report = evaluate(pairs, checker)
        unsupported = _pct(
            report.found_by_kind["unsupported"], report.planted_by_kind["unsupported"]
        )
        print(
            f"{words:4d} {similarity:8.2f} {threshold:5.2f}  "
            f"{_pct(report.found, report.planted):>12}  "
            f"{unsupported:>17}  {report.faithful_flags / max(report.faithful, 1):19.2f}  "
            f"{_pct(report.faithful_flagged, report.faithful):>16}",
            file=out,
        )


def main(argv: list[str] | None = None) -> int:
    from assistant.offline import enforce_offline

    enforce_offline()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--split", choices=("dev", "test", "all"), default="all")
    parser.add_argument(
        "--details", action="store_true", help="liste les manqués et les faux signalements"
    )
    parser.add_argument("--sweep", action="store_true", help="balaye le seuil de support (sur dev)")
    args = parser.parse_args(argv)

    pairs = load_pairs(args.dir)
    checker = ReviewChecker()
    checker.load()
    if args.sweep:
        sweep([p for p in pairs if p.split == "dev"], checker)
        return 0
    by_split: dict[str, list[Pair]] = defaultdict(list)
    for pair in pairs:
        by_split[pair.split].append(pair)
    wanted = ("dev", "test") if args.split == "all" else (args.split,)
    for split in wanted:
        report = evaluate(by_split[split], checker, details=args.details)
        print_report(f"{split}", report)
    if args.split == "all":
        print_report("ensemble", evaluate(pairs, checker))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
