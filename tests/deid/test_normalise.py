"""The copy of a note the recognizers read: OCR swaps and all-capitals undone, same length."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from assistant.deid import Deidentifier
from assistant.deid.normalise import normalised


def _masked(deid: Deidentifier, text: str) -> str:
    return " ".join(e.text for e in deid.pseudonymise(text).entities)


@given(st.text(max_size=300))
def test_the_copy_keeps_every_offset(text: str) -> None:
    assert len(normalised(text, None)) == len(text)


def test_ocr_swaps_are_read_as_digits_and_letters() -> None:
    seen = normalised("Tel : O6 12 3O 45 l8 - 2l0OO B0RDEAUX, le l5 mars", None)
    assert "06 12 30 45 18" in seen
    assert "21000" in seen
    assert "BORDEAUX" in seen
    assert "15 mars" in seen


def test_ordinary_codes_are_left_alone() -> None:
    text = "COVID19, T3, 1er étage, 2B, F4 à Lyon 7e"
    assert normalised(text, None) == text


def test_an_ocr_letter_is_masked_on_its_original_characters(deid: Deidentifier) -> None:
    text = "SOLEIL HABITAT\n3 rue des Lilas - 33O00 B0RDEAUX\nTel : O5 56 4l 22 l9\n"
    masked = _masked(deid, text)
    for secret in ("33O00", "B0RDEAUX", "O5 56 4l 22 l9"):
        assert secret in masked, masked


def test_a_note_in_capitals_masks_names_and_keeps_words(deid: Deidentifier) -> None:
    text = (
        "VISITE A DOMICILE CHEZ MME KOUASSI AMENAN, RESIDENCE LES ACACIAS, BAT. C. "
        "SES DEUX ENFANTS : YAO (7 ANS) ET AFFOUE (4 ANS). LE LOGEMENT EST HUMIDE, "
        "DEMANDE DE FSL EN COURS AUPRES DE LA CAF. SUIVI A NECKER POUR SON DIABETE."
    )
    out = deid.pseudonymise(text).text
    for secret in ("KOUASSI", "AMENAN", "YAO", "AFFOUE", "LES ACACIAS", "NECKER"):
        assert secret not in out, out
    for fact in ("LE LOGEMENT EST HUMIDE", "FSL", "CAF", "DIABETE", "7 ANS"):
        assert fact in out, out


def test_a_name_cut_at_a_line_end_is_masked_whole(deid: Deidentifier) -> None:
    text = "Le père, M. Thierry DELA-\nCROIX, vit à Douai.\nSignature : Anne MARTI-\nNEZ"
    masked = _masked(deid, text)
    assert "CROIX" in masked and "NEZ" in masked, masked
