from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.store import Store
from tests.conftest import TEST_PASSPHRASE


@pytest.fixture
def store(home: Path) -> Iterator[Store]:
    opened = Store.open(home, TEST_PASSPHRASE)
    yield opened
    opened.close()
