"""French de-identification: Presidio + French recognizers, case roster, reversible pseudonyms.

from assistant.deid import get_default_deidentifier, reidentify
result = get_default_deidentifier().pseudonymise(note, mapping=case_map, roster=people)
draft = reidentify(model_output, result.mapping).text

Placeholder types: PERSONNE, TEL, EMAIL, URL, ADRESSE, CODE_POSTAL, VILLE, DATE, AGE,
NIR, IBAN, PLAQUE, NUM_CAF, NUM_FT (France Travail), NUM_TITRE (titre de séjour,
passeport, CNI), NUM_DOSSIER, NUM_FISCAL, NUM_ID (other numbers), ORGANISATION, and
TEXTE (a placeholder-looking string the user typed, masked so it cannot collide).

Spellings of one value that differ only by case, accents or spaces ("DUPONT" /
"Dupont"), and every form of a roster person's name, share one placeholder: the model
sees one person, and re-identification restores the first spelling seen (for roster
people, the listed name). Any other text comes back exactly.
"""

from __future__ import annotations

import threading

from assistant.deid.engine import Deidentifier, reidentify
from assistant.deid.types import (
    PLACEHOLDER_RE,
    DeidResult,
    Entity,
    Override,
    PseudonymMap,
    ReidResult,
    RosterPerson,
)

_default: Deidentifier | None = None
_default_lock = threading.Lock()


def get_default_deidentifier() -> Deidentifier:
    """The process-wide instance (loading spaCy costs seconds: share it)."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Deidentifier()
    return _default


__all__ = [
    "PLACEHOLDER_RE",
    "DeidResult",
    "Deidentifier",
    "Entity",
    "Override",
    "PseudonymMap",
    "ReidResult",
    "RosterPerson",
    "get_default_deidentifier",
    "reidentify",
]
