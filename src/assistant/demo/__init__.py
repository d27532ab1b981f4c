"""A fictional demo case, offered on first run so a newcomer sees the product work.

Every name, number and address in these notes is invented; the NIR has a
valid key so the checksum recognizer has something real to check.
"""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

from assistant.deid.types import RosterPerson

if TYPE_CHECKING:
    from assistant.pipeline import Assistant

DEMO_CASE_LABEL = "Démonstration — famille fictive"
DEMO_ROSTER = [
    RosterPerson(name="Amina KOUYATÉ", aliases=("Mme K.",), role="mère"),
    RosterPerson(name="Yanis KOUYATÉ", role="fils, 9 ans"),
    RosterPerson(name="Lucas Martin-Delaunay", aliases=("Lulu",), role="ex-conjoint"),
]


def demo_notes() -> list[tuple[str, str]]:
    """(file name, text) of each demo note, in order."""
    folder = resources.files(__package__)
    notes = sorted(p for p in folder.iterdir() if p.name.endswith(".txt"))
    return [(p.name, p.read_text(encoding="utf-8")) for p in notes]


def install_demo_case(assistant: Assistant) -> str:
    """Create the demo case with its roster and notes, once; returns its id."""
    store = assistant.store
    for case in store.list_cases():
        if case.label == DEMO_CASE_LABEL:
            return case.id
    case_id = store.create_case(DEMO_CASE_LABEL)
    store.set_roster(case_id, DEMO_ROSTER)
    for _name, text in demo_notes():
        assistant.add_note(text, case_id)
    return case_id
