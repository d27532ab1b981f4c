"""One real, loaded Deidentifier shared by every deid test (loading spaCy costs seconds)."""

from __future__ import annotations

import pytest

from assistant.deid import Deidentifier, get_default_deidentifier


@pytest.fixture(scope="session")
def deid() -> Deidentifier:
    instance = get_default_deidentifier()
    instance.load()
    return instance
