"""Review aids: time to check one 500-word draft against its note (model loaded).

Baseline: running the spaCy pipeline alone on the same note and draft, so the
ratio shows what the checks add on top of the linguistic analysis they need.
"""

from __future__ import annotations

import time

from bench.common import median_time, row

NOTE = (
    "Entretien avec Mme <PERSONNE_1>, 38 ans, mère de <PERSONNE_2> (14 ans) et de "
    "<PERSONNE_3> (9 ans), au CCAS le 12 mars 2025. Elle vit avec son compagnon "
    "M. <PERSONNE_4> dans un T3 à <ADRESSE_1> depuis deux ans. Elle perçoit le RSA "
    "(607 €) et 1 200 € de salaire à temps partiel. Le loyer est de 690 € par mois, APL "
    "déduite, avec un retard de deux mois. Elle accepte l'accompagnement budgétaire "
    "proposé. <PERSONNE_2> ne va plus au collège depuis trois semaines ; une rencontre "
    "avec le CPE est prévue le 20 mars. M. <PERSONNE_4> n'a pas d'emploi et cherche une "
    "formation de cariste avec France Travail. La famille ne bénéficie d'aucune mesure "
    "éducative. Prochain rendez-vous le 2 avril."
)

_PARAGRAPHS = [
    "Mme <PERSONNE_1>, 38 ans, vit avec ses deux enfants, <PERSONNE_2> (14 ans) et "
    "<PERSONNE_3> (9 ans), et avec son compagnon M. <PERSONNE_4>, dans un T3 situé "
    "<ADRESSE_1> depuis deux ans.",
    "Ses ressources se composent du RSA, soit 607 euros, et d'un salaire à temps partiel "
    "de 1 200 euros. Le loyer s'élève à 690 euros par mois après déduction de l'APL et un "
    "retard de deux mois est constaté.",
    "Mme <PERSONNE_1> accepte l'accompagnement budgétaire qui lui a été proposé et se montre "
    "disponible pour les rendez-vous.",
    "<PERSONNE_2> ne se rend plus au collège depuis trois semaines ; une rencontre avec le "
    "CPE aura lieu le 20 mars afin de comprendre la situation.",
    "M. <PERSONNE_4> est sans emploi et recherche une formation de cariste avec l'appui de "
    "France Travail.",
    "Une AEMO serait envisagée par le juge des enfants et Mme évoque une consommation "
    "d'alcool de son compagnon le week-end.",
    "Le prochain rendez-vous est fixé au 9 avril.",
]


def _draft(words: int = 500) -> str:
    parts: list[str] = []
    while sum(len(p.split()) for p in parts) < words:
        parts.append(_PARAGRAPHS[len(parts) % len(_PARAGRAPHS)])
    return "\n\n".join(parts)


def run() -> dict[str, dict]:
    from assistant.review_aids import ReviewChecker

    started = time.perf_counter()
    checker = ReviewChecker()
    checker.load()
    load_s = time.perf_counter() - started
    draft = _draft()
    nlp = checker.nlp
    baseline = median_time(lambda: (nlp(NOTE), nlp(draft)), repeat=7)
    value = median_time(lambda: checker.check(NOTE, draft), repeat=7)
    return {
        "review_aids.ms_per_draft": row(value * 1000, "ms", round(baseline * 1000, 2)),
        "review_aids.load_s": row(load_s, "s"),
        "review_aids.draft_words": row(len(draft.split()), "mots"),
    }
