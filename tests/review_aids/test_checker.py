"""Each kind of flag, on small notes written for these tests (not the eval set)."""

from __future__ import annotations

import threading

import pytest

from assistant.review_aids import KINDS, Flag, ReviewChecker, get_default_checker

NOTE = (
    "Entretien avec Mme <PERSONNE_1>, la mère de <PERSONNE_2>, 12 ans. "
    "Elle perçoit 1 200 € de salaire et 180 € d'allocations familiales. "
    "Elle habite un T3 à <ADRESSE_1> depuis six mois avec son compagnon M. <PERSONNE_3>. "
    "<PERSONNE_2> est scolarisé en 6e et ne présente pas de difficulté scolaire. "
    "Mme <PERSONNE_1> accepte le suivi proposé par le service social. "
    "Prochain rendez-vous le 4 juin 2025."
)


def kinds(flags: list[Flag]) -> set[str]:
    return {f.kind for f in flags}


def flagged(flags: list[Flag], kind: str) -> list[str]:
    return [f.text for f in flags if f.kind == kind]


def test_faithful_paraphrase_has_no_flag(checker: ReviewChecker) -> None:
    draft = (
        "Mme <PERSONNE_1>, mère de <PERSONNE_2> (12 ans), touche un salaire de 1200 euros "
        "ainsi que 180 euros d'allocations familiales. Depuis 6 mois, elle vit dans un T3 "
        "situé <ADRESSE_1> avec M. <PERSONNE_3>, son compagnon. <PERSONNE_2>, en 6e, n'a pas "
        "de difficulté scolaire. Mme <PERSONNE_1> accepte le suivi que propose le service "
        "social. Le prochain rendez-vous aura lieu le 4 juin 2025."
    )
    assert checker.check(NOTE, draft) == []


def test_offsets_point_at_the_flagged_text(checker: ReviewChecker) -> None:
    draft = "Mme <PERSONNE_1> perçoit 1 500 € de salaire. <PERSONNE_4> est placé en foyer."
    flags = checker.check(NOTE, draft)
    assert flags
    for flag in flags:
        assert draft[flag.start : flag.end] == flag.text
        assert flag.kind in KINDS
        assert flag.reason  # French, never empty
    assert [f.start for f in flags] == sorted(f.start for f in flags)


def test_flag_to_dict_has_the_cli_keys() -> None:
    flag = Flag("number", 3, 8, "607 €", "raison", None)
    assert flag.to_dict() == {
        "kind": "number",
        "start": 3,
        "end": 8,
        "text": "607 €",
        "reason": "raison",
        "source": None,
    }


# -- numbers -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("draft", "wrong"),
    [
        ("Mme <PERSONNE_1> perçoit 1 300 € de salaire.", "1 300 €"),
        ("<PERSONNE_2>, 13 ans, est scolarisé en 6e.", "13 ans"),
        ("Elle habite ce T3 depuis huit mois.", "huit mois"),
        ("Prochain rendez-vous le 14 juin 2025.", "14 juin 2025"),
        ("<PERSONNE_2> est scolarisé en 5e.", "5e"),
    ],
)
def test_number_absent_from_the_note_is_flagged(
    checker: ReviewChecker, draft: str, wrong: str
) -> None:
    flags = checker.check(NOTE, draft)
    assert wrong in flagged(flags, "number")
    flag = next(f for f in flags if f.text == wrong)
    assert flag.source is not None  # the closest note sentence


@pytest.mark.parametrize(
    "draft",
    [
        "Mme <PERSONNE_1> perçoit 1200 euros de salaire.",
        "Elle y vit depuis 6 mois.",
        "Elle y vit depuis une demi-année.",
        "<PERSONNE_2> a douze ans.",
        "Rendez-vous le 04/06/2025.",
        "Les allocations familiales s'élèvent à cent quatre-vingts euros.",
    ],
)
def test_number_written_differently_is_not_flagged(checker: ReviewChecker, draft: str) -> None:
    assert flagged(checker.check(NOTE, draft), "number") == []


# -- pseudonyms and roles ------------------------------------------------------


def test_unknown_pseudonym_is_flagged(checker: ReviewChecker) -> None:
    draft = "Mme <PERSONNE_1> vit avec <PERSONNE_3> et <PERSONNE_5>."
    assert flagged(checker.check(NOTE, draft), "placeholder") == ["<PERSONNE_5>"]


def test_pseudonym_is_one_token(checker: ReviewChecker) -> None:
    # "<LIEU_1>." once glued the full stop to the pseudonym and merged sentences.
    note = "Il vit à <LIEU_1>. Il travaille à <LIEU_2>."
    flags = checker.check(note, "Il travaille à <LIEU_3>. Il vit à <LIEU_1>.")
    assert [(f.kind, f.text) for f in flags] == [("placeholder", "<LIEU_3>")]


@pytest.mark.parametrize(
    ("draft", "span"),
    [
        ("<PERSONNE_1>, le père de <PERSONNE_2>, travaille.", "<PERSONNE_1>, le père"),
        ("M. <PERSONNE_1> perçoit un salaire.", "M. <PERSONNE_1>"),
        ("Sa grand-mère <PERSONNE_1> l'accompagne.", "grand-mère <PERSONNE_1>"),
        ("Elle vit avec son compagnon <PERSONNE_2>.", "compagnon <PERSONNE_2>"),
    ],
)
def test_pseudonym_given_another_role_is_flagged(
    checker: ReviewChecker, draft: str, span: str
) -> None:
    assert span in flagged(checker.check(NOTE, draft), "role")


def test_same_role_in_other_words_is_not_flagged(checker: ReviewChecker) -> None:
    draft = "La maman, Mme <PERSONNE_1>, vit avec M. <PERSONNE_3>, son concubin."
    assert flagged(checker.check(NOTE, draft), "role") == []


# -- entities and measures ---------------------------------------------------------


def test_measure_absent_from_the_note_is_flagged(checker: ReviewChecker) -> None:
    draft = "Une AEMO est en cours et une mesure de curatelle renforcée est demandée."
    texts = flagged(checker.check(NOTE, draft), "measure")
    assert "AEMO" in texts
    assert any("curatelle" in t for t in texts)


def test_measure_in_the_note_is_not_flagged(checker: ReviewChecker) -> None:
    note = "Une ordonnance de placement provisoire a été prise pour <PERSONNE_1>."
    draft = "<PERSONNE_1> est placé depuis l'OPP."
    assert flagged(checker.check(note, draft), "measure") == []


def test_entity_absent_from_the_note_is_flagged(checker: ReviewChecker) -> None:
    draft = "Mme <PERSONNE_1> est accompagnée par le Secours populaire et la MDPH de Marseille."
    texts = flagged(checker.check(NOTE, draft), "entity")
    assert "Secours populaire" in texts
    assert "MDPH" in texts
    assert "Marseille" in texts


# -- weak support and negation -----------------------------------------------------


def test_invented_sentence_is_flagged(checker: ReviewChecker) -> None:
    draft = (
        "Mme <PERSONNE_1> accepte le suivi proposé. Le couple envisage de déménager "
        "prochainement en Bretagne pour se rapprocher de la famille paternelle."
    )
    texts = flagged(checker.check(NOTE, draft), "unsupported")
    assert any("Bretagne" in t for t in texts)
    assert not any("accepte le suivi" in t for t in texts)


@pytest.mark.parametrize(
    ("draft", "cue"),
    [
        ("Mme <PERSONNE_1> refuse le suivi proposé par le service social.", "refuse"),
        ("Mme <PERSONNE_1> n'accepte pas le suivi proposé par le service.", "n'accepte pas"),
        ("<PERSONNE_2> présente des difficultés scolaires.", "présente des difficultés"),
    ],
)
def test_flipped_sense_is_flagged(checker: ReviewChecker, draft: str, cue: str) -> None:
    flags = checker.check(NOTE, draft)
    negations = [f for f in flags if f.kind == "negation"]
    assert negations, flags
    assert any(draft.find(cue) < f.end and f.start < draft.find(cue) + len(cue) for f in negations)
    assert all(f.source for f in negations)


def test_negation_kept_is_not_flagged(checker: ReviewChecker) -> None:
    draft = "<PERSONNE_2> n'a aucune difficulté scolaire et Mme <PERSONNE_1> accepte le suivi."
    assert flagged(checker.check(NOTE, draft), "negation") == []


# -- sensitive categories ------------------------------------------------------------


@pytest.mark.parametrize(
    ("draft", "term"),
    [
        ("Mme <PERSONNE_1> souffre de dépression.", "dépression"),
        ("M. <PERSONNE_3> boit beaucoup d'alcool le soir.", "alcool"),
        ("La famille est de confession musulmane.", "musulmane"),
        ("M. <PERSONNE_3> a été condamné l'an dernier.", "condamné"),
        ("<PERSONNE_2> aurait été frappé par M. <PERSONNE_3>.", "frappé"),
        ("Mme <PERSONNE_1> est enceinte de trois mois.", "enceinte"),
    ],
)
def test_sensitive_category_absent_from_the_note_is_flagged(
    checker: ReviewChecker, draft: str, term: str
) -> None:
    assert term in flagged(checker.check(NOTE, draft), "sensitive")


def test_sensitive_category_of_the_note_is_not_flagged(checker: ReviewChecker) -> None:
    note = "M. <PERSONNE_1> est suivi au CSAPA pour sa consommation d'alcool."
    draft = "M. <PERSONNE_1> bénéficie d'un suivi en addictologie pour l'alcool."
    assert flagged(checker.check(note, draft), "sensitive") == []


# -- API ---------------------------------------------------------------------------


def test_empty_draft_gives_no_flag(checker: ReviewChecker) -> None:
    assert checker.check(NOTE, "   ") == []


def test_checker_accepts_a_given_pipeline(checker: ReviewChecker) -> None:
    other = ReviewChecker(nlp=checker.nlp)
    assert other.nlp is checker.nlp
    assert kinds(other.check(NOTE, "Une AEMO est ordonnée.")) >= {"measure"}


def test_lazy_load_is_shared_across_threads(checker: ReviewChecker) -> None:
    fresh = ReviewChecker()
    fresh._nlp = None
    # Pretend the load is slow and check every thread sees one pipeline.
    import assistant.review_aids.checker as module

    calls = []

    def fake_load():
        calls.append(1)
        return checker.nlp

    original = module._load_spacy
    module._load_spacy = fake_load
    try:
        seen = []
        threads = [threading.Thread(target=lambda: seen.append(fresh.nlp)) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        module._load_spacy = original
    assert len(calls) == 1
    assert all(nlp is checker.nlp for nlp in seen)


def test_default_checker_is_a_singleton() -> None:
    assert get_default_checker() is get_default_checker()


@pytest.mark.parametrize(
    "draft",
    [
        "**Synthèse**\n\n### Situation familiale\nMme <PERSONNE_1>, la mère de <PERSONNE_2> "
        "(12 ans), vit avec M. <PERSONNE_3>.\n\n### Ressources\n- Salaire : 1 200 €\n"
        "- Allocations familiales : 180 €",
        "Voici la synthèse demandée :\n\n1. Mme <PERSONNE_1> accepte le suivi proposé par le "
        "service social.\n2. Prochain rendez-vous le 4 juin 2025.",
    ],
)
def test_markdown_and_numbered_lists_are_not_flagged(checker: ReviewChecker, draft: str) -> None:
    # Small models answer with headings, bullets and numbered lists.
    assert checker.check(NOTE, draft) == []
