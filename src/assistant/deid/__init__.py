"""French de-identification: Presidio + French recognizers, case roster, reversible pseudonyms.

from assistant.deid import get_default_deidentifier, reidentify
result = get_default_deidentifier().pseudonymise(note, mapping=case_map, roster=people)
draft = reidentify(model_output, result.mapping).text
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
