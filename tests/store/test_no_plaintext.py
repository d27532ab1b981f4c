"""Seeded personal data never reaches the disk in clear, nor any export."""

from __future__ import annotations

from pathlib import Path

from assistant import audit
from assistant.deid.types import Override
from assistant.store import Store
from tests.conftest import TEST_PASSPHRASE
from tests.store.seed import SECRETS, seed


def _needles() -> dict[str, list[bytes]]:
    needles = {}
    for key, value in SECRETS.items():
        forms = {value, value.upper(), value.lower()}
        if any(c.isdigit() for c in value):
            forms.add(value.replace(" ", ""))
        needles[key] = [f.encode("utf-8") for f in forms] + [value.encode("utf-16-le")]
    return needles


def _leaks(paths: list[Path]) -> list[str]:
    found = []
    for path in paths:
        data = path.read_bytes()
        for key, forms in _needles().items():
            if any(form in data for form in forms):
                found.append(f"{key} in {path.name}")
    return found


def _files(directory: Path) -> list[Path]:
    return [p for p in directory.rglob("*") if p.is_file()]


def test_no_seeded_value_on_disk_or_in_any_export(home: Path, tmp_path: Path) -> None:
    store = Store.open(home, TEST_PASSPHRASE)
    seeded = seed(store)
    store.add_override(seeded.case_id, Override(SECRETS["child"], "mask"))
    # Reads and a search go through the same file too.
    assert store.get_note(seeded.note_id).raw_text.count(SECRETS["name"]) == 1
    assert store.list_suggestions(query="logement")
    assert store.final_text(seeded.suggestions[1]).startswith(SECRETS["name"])

    # While open: the database, its WAL and shared-memory files.
    on_disk = _files(home)
    assert {p.name for p in on_disk} >= {"assistant.db", "assistant.db-wal"}
    assert _leaks(on_disk) == []

    exports = tmp_path / "exports"
    for fmt in audit.EXPORT_FORMATS:
        audit.export_bundle(store, exports / f"bundle.{fmt}", fmt)
    merged = audit.merge_bundles([exports / "bundle.sqlite", exports / "bundle.jsonl"])
    audit.write_bundle(merged, exports / "merged.html", "html")
    audit.write_bundle(merged, exports / "merged.sqlite", "sqlite")
    # The exports are not empty shells: they carry the de-identified drafts.
    assert b"<PERSONNE_1>" in (exports / "bundle.jsonl").read_bytes()
    assert b"Motifs de rejet" in (exports / "bundle.html").read_bytes()
    assert len(_files(exports)) == 6
    assert _leaks(_files(exports)) == []

    # Retention and erasure rewrite rows: still nothing in clear afterwards.
    audit.erase_person(store, name=SECRETS["child"])
    assert _leaks(_files(home)) == []
    store.close()
    assert _leaks(_files(home)) == []


def test_scanner_would_see_a_leak(home: Path) -> None:
    """The scan above can fail: a clear value written to the data dir is found."""
    store = Store.open(home, TEST_PASSPHRASE)
    seed(store)
    store.db["notes"].insert({"id": "leak", "deid_text": SECRETS["nir"]})
    store.close()
    assert "nir in assistant.db" in _leaks(_files(home))
