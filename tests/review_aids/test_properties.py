"""Whatever the texts, flags point at real spans of the draft and never crash."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.review_aids import KINDS, ReviewChecker
from assistant.review_aids.numbers import extract, words_to_number

FRAGMENTS = [
    "Mme <PERSONNE_1>",
    "<PERSONNE_2>, la mère,",
    "M. <PERSONNE_3>",
    " perçoit 1 200 € ",
    " depuis six mois",
    " n'a pas ",
    " refuse ",
    " l'AEMO ",
    " une curatelle ",
    " à <ADRESSE_1>",
    " le 12/03/2024",
    " dépression ",
    ". ",
    ", ",
    "\n- ",
    " « Je ne sais pas » ",
    "Lyon",
    "  ",
    "é",
    "œ",
    "\u00a0€",
    "1.",
]

texts = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=8), max_size=12).map("".join)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(note=texts, draft=texts)
def test_flags_are_valid_spans(checker: ReviewChecker, note: str, draft: str) -> None:
    for flag in checker.check(note, draft):
        assert flag.kind in KINDS
        assert 0 <= flag.start < flag.end <= len(draft)
        assert draft[flag.start : flag.end] == flag.text
        assert flag.reason


@given(st.integers(min_value=0, max_value=99))
def test_number_words_round_trip(n: int) -> None:
    units = [
        "zéro",
        "un",
        "deux",
        "trois",
        "quatre",
        "cinq",
        "six",
        "sept",
        "huit",
        "neuf",
        "dix",
        "onze",
        "douze",
        "treize",
        "quatorze",
        "quinze",
        "seize",
    ]
    tens = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}
    if n < 17:
        word = units[n]
    elif n < 20:
        word = f"dix-{units[n - 10]}"
    elif n < 70:
        t, u = divmod(n, 10)
        word = tens[t] + ("" if u == 0 else "-et-un" if u == 1 else f"-{units[u]}")
    elif n < 80:
        word = "soixante-" + (
            "et-onze" if n == 71 else units[n - 60] if n < 77 else f"dix-{units[n - 70]}"
        )
    else:
        rest = n - 80
        word = "quatre-vingt" + (
            "s" if rest == 0 else f"-{units[rest]}" if rest < 17 else f"-dix-{units[rest - 10]}"
        )
    assert words_to_number(word.replace("zéro", "zero")) == n
    mentions = extract(f"depuis {word} mois")
    assert mentions and mentions[0].value == n
