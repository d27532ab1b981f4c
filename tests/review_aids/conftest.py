"""One real spaCy-backed checker for the whole session (loading takes seconds)."""

from __future__ import annotations

import pytest

from assistant.review_aids import ReviewChecker, get_default_checker


@pytest.fixture(scope="session")
def checker() -> ReviewChecker:
    # The process-wide checker, so that the CLI tests run in-process reuse the
    # model loaded here instead of loading fr_core_news_md a second time.
    instance = get_default_checker()
    instance.load()
    return instance
