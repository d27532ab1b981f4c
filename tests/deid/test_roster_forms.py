"""Roster forms and whole-name spans, as the practitioner sees them in the preview."""

from __future__ import annotations

from assistant.deid import Deidentifier, reidentify
from assistant.deid.types import PseudonymMap, RosterPerson

ROSTER = [RosterPerson(name="Amina KOUYATÉ", aliases=("Mme K.",), role="mère")]


def test_a_title_in_an_alias_does_not_mask_other_people(deid: Deidentifier) -> None:
    text = "La voisine, Mme Josiane Perrin, a appelé. Mme K. était absente."
    result = deid.pseudonymise(text, roster=ROSTER)
    amina = result.mapping.placeholder_for("PERSONNE", "Amina KOUYATÉ")
    perrin = next(e for e in result.entities if "Perrin" in e.text)
    assert perrin.placeholder != amina
    assert "Mme K." not in result.text
    assert reidentify(result.text, result.mapping).text.count("Amina KOUYATÉ") == 1


def test_first_name_and_surname_read_as_one_placeholder(deid: Deidentifier) -> None:
    mapping = PseudonymMap()
    result = deid.pseudonymise(
        "Entretien avec Amina Kouyaté ce matin.", mapping=mapping, roster=ROSTER
    )
    assert "<PERSONNE_1> <PERSONNE_1>" not in result.text
    assert result.text.count("<PERSONNE_1>") == 1
    assert "Amina" not in result.text and "Kouyaté" not in result.text


def test_at_inside_a_word_is_not_an_obfuscated_email(deid: Deidentifier) -> None:
    text = "Entretien ce matin. Elle signale une dette. Écrire à toto(at)gmail.com."
    result = deid.pseudonymise(text)
    assert "ce matin. Elle signale" in result.text
    assert "toto(at)gmail.com" not in result.text
