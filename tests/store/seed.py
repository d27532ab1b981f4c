"""Seeding a real store with known personal data, through the public API only."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from assistant.deid.types import DeidResult, Entity, PseudonymMap, RosterPerson
from assistant.store import Store

# Values that must never appear in clear anywhere on disk or in an export.
SECRETS = {
    "name": "Kévin Lemarchand-Ouazzani",
    "alias": "Kéké",
    "child": "Ysaline Lemarchand",
    "phone": "06 71 42 93 58",
    "nir": "1 84 12 75 115 042 37",
    "case_label": "Famille Lemarchand-Ouazzani",
    "address": "17 rue des Glycines",
}


@dataclass
class Seeded:
    case_id: str
    note_id: str
    suggestions: list[str] = field(default_factory=list)


def deid_for(text: str) -> DeidResult:
    """A hand-built de-identification of ``text`` (what the deid module would return)."""
    mapping = PseudonymMap()
    entities = []
    out = text
    for type_, key in (
        ("PERSONNE", "name"),
        ("PERSONNE", "child"),
        ("TEL", "phone"),
        ("NIR", "nir"),
        ("ADRESSE", "address"),
    ):
        value = SECRETS[key]
        start = text.find(value)
        if start < 0:
            continue
        placeholder = mapping.placeholder_for(type_, value)
        entities.append(Entity(type_, start, start + len(value), value, placeholder, 0.9, "test"))
        out = out.replace(value, placeholder)
        if key == "name":
            # The roster alias is masked with the same placeholder, as deid does.
            mapping.alias(placeholder, type_, SECRETS["alias"])
            out = out.replace(SECRETS["alias"], placeholder)
    return DeidResult(out, entities, mapping)


def note_text() -> str:
    s = SECRETS
    return (
        f"Entretien avec {s['name']} (dit {s['alias']}), joignable au {s['phone']}, "
        f"NIR {s['nir']}, domicilié {s['address']}. Sa fille {s['child']} est scolarisée. "
        "Demande d'aide au logement d'urgence."
    )


def start_generation(store: Store, note_id: str, case_id: str, **fields: object) -> str:
    """A suggestion stored as "generating" on a note, as the pipeline does."""
    values: dict[str, object] = {
        "note_id": note_id,
        "case_id": case_id,
        "task": "synthese-entretien",
        "prompt_id": "synthese-entretien",
        "prompt_version": "a" * 64,
        "rendered_prompt": f"Rédige une synthèse.\n\n{store.get_note(note_id).deid_text}",
        "model_name": "SmolLM2-135M-Instruct.Q4_1.gguf",
        "model_sha256": "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
        "backend": "LlamaCppBackend",
        "params": {"temperature": 0.3, "seed": 42, "max_tokens": 64},
    }
    values.update(fields)
    return store.start_suggestion(**values)  # type: ignore[arg-type]


def stored_suggestion(
    store: Store, note_id: str, case_id: str, output: str, status: str = "pending", **fields: object
) -> str:
    """A finished draft waiting for its review (``fields`` override the generation's)."""
    sid = start_generation(store, note_id, case_id, **fields)
    store.finish_suggestion(
        sid,
        status=status,
        output=output,
        finish_reason="stop",
        prompt_tokens=120,
        completion_tokens=40,
        ttft_ms=35.0,
        total_ms=510.0,
        tokens_per_s=80.0,
    )
    return sid


def add_suggestion(store: Store, seeded: Seeded, output: str, *, status: str = "pending") -> str:
    sid = stored_suggestion(store, seeded.note_id, seeded.case_id, output, status)
    seeded.suggestions.append(sid)
    return sid


def seed(store: Store, reviews: bool = True) -> Seeded:
    """A case, a roster, a note full of identifiers, three drafts and their reviews."""
    case_id = store.create_case(SECRETS["case_label"])
    store.set_roster(
        case_id,
        [
            RosterPerson(SECRETS["name"], (SECRETS["alias"],), "usager"),
            RosterPerson(SECRETS["child"], (), "enfant"),
        ],
    )
    store.record_prompt_version("synthese-entretien", "a" * 64, "Rédige une synthèse de {note}.")
    deid = deid_for(note_text())
    note_id = store.add_note(case_id, note_text(), deid)
    seeded = Seeded(case_id, note_id)
    a = add_suggestion(store, seeded, "<PERSONNE_1> demande un logement d'urgence.")
    b = add_suggestion(store, seeded, "<PERSONNE_1> et <PERSONNE_2> sont sans logement.")
    c = add_suggestion(store, seeded, "Texte hors sujet sur la météo.")
    if reviews:
        store.review(
            a,
            decision="accepted",
            final_text_raw=f"{SECRETS['name']} demande un logement d'urgence.",
            reviewer="AS-01",
        )
        store.review(
            b,
            decision="edited",
            final_text_deid="<PERSONNE_1> et sa fille <PERSONNE_2> sont sans logement.",
            final_text_raw=f"{SECRETS['name']} et sa fille {SECRETS['child']} sont sans logement.",
            reviewer="AS-01",
        )
        store.review(c, decision="rejected", reason="Information inventée", reviewer="AS-01")
    return seeded


def raw_connection(path: Path) -> sqlite3.Connection:
    """What someone with a SQLite shell could do to the file, bypassing the store."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    return conn
