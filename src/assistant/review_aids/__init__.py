"""Review aids: point at what a draft says that its de-identified note does not.

Small local models invent facts, drop negations and move numbers; before a
practitioner accepts a draft, ``ReviewChecker.check(note, draft)`` returns
``Flag`` objects (span in the draft, French reason, closest note sentence).
"""

from __future__ import annotations

from assistant.review_aids.checker import ReviewChecker, get_default_checker
from assistant.review_aids.flags import KINDS, Flag

__all__ = ["KINDS", "Flag", "ReviewChecker", "get_default_checker"]
