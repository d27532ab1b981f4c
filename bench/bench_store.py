"""Store and audit throughput: insert a suggestion, verify 10k events, search 10k drafts.

Baselines are measured in the same run on the same file: a bare sqlite3 insert
and commit (what the store adds: encryption-free bookkeeping, the event and its
hash), reading and hashing the events without the chain logic, and a LIKE scan
(what a search would cost without the FTS index).
"""

from __future__ import annotations

import hashlib
import random
import tempfile
import time
from pathlib import Path

from assistant import audit
from assistant.deid.types import DeidResult, Entity, PseudonymMap
from assistant.store import Store
from bench.common import median_time, row

N = 10_000
WORDS = [
    "logement",
    "urgence",
    "accompagnement",
    "budget",
    "dette",
    "école",
    "santé",
    "emploi",
    "aide",
    "sociale",
    "famille",
    "enfant",
    "rendez-vous",
    "dossier",
    "CAF",
    "hébergement",
    "insertion",
    "médiation",
    "suivi",
    "démarche",
    "courrier",
    "loyer",
    "expulsion",
    "scolarité",
    "protection",
    "orientation",
]


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _suggestion(store: Store, note_id: str, case_id: str, rng: random.Random) -> str:
    sid = store.start_suggestion(
        note_id=note_id,
        case_id=case_id,
        task="synthese-entretien",
        prompt_id="synthese-entretien",
        prompt_version="a" * 64,
        rendered_prompt="Rédige une synthèse.\n\n" + _text(rng, 120),
        model_name="bench.gguf",
        model_sha256="0" * 64,
        backend="bench",
        params={"temperature": 0.3, "seed": rng.randrange(1 << 30)},
    )
    # One draft in a hundred mentions a rarer topic: what a search usually looks for.
    rare = " surendettement commission" if rng.random() < 0.01 else ""
    store.finish_suggestion(
        sid,
        status="pending",
        output="<PERSONNE_1> " + _text(rng, 60) + rare,
        finish_reason="stop",
        prompt_tokens=200,
        completion_tokens=80,
        ttft_ms=40.0,
        total_ms=900.0,
        tokens_per_s=80.0,
    )
    return sid


def run() -> dict:
    rng = random.Random(1234)
    rows: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        store = Store.open(home, "phrase de passe du banc d'essai")
        case_id = store.create_case("Dossier banc d'essai")
        mapping = PseudonymMap()
        placeholder = mapping.placeholder_for("PERSONNE", "Alex Exemple")
        deid = DeidResult(
            f"{placeholder} " + _text(rng, 100),
            [Entity("PERSONNE", 0, 12, "Alex Exemple", placeholder)],
            mapping,
        )
        note_id = store.add_note(case_id, "Alex Exemple " + _text(rng, 100), deid)

        # One suggestion = what the pipeline does per draft: row before, result after.
        insert_s = median_time(lambda: _suggestion(store, note_id, case_id, rng), repeat=50)
        conn = store.db.conn
        conn.execute("CREATE TABLE bench_plain (id TEXT PRIMARY KEY, body TEXT)")

        def plain_insert() -> None:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(
                "INSERT INTO bench_plain VALUES (?, ?)", [f"{rng.random()}", _text(rng, 180)]
            )
            conn.execute("COMMIT")

        plain_s = median_time(plain_insert, repeat=50)
        rows["store.insert_suggestion_ms"] = row(insert_s * 1000, "ms", round(plain_s * 1000, 4))

        # Fill up to N suggestions (and as many events), in batches for speed.
        while len(store.list_events()) < N:
            with store.transaction():
                for _ in range(500):
                    _suggestion(store, note_id, case_id, rng)
        events = len(store.list_events())

        started = time.perf_counter()
        report = audit.verify_chain(store)
        verify_s = (time.perf_counter() - started) * N / events
        assert report.ok, report.message_fr

        def hash_only() -> None:
            for (payload,) in conn.execute("SELECT payload FROM events").fetchall():
                hashlib.sha256(payload.encode()).hexdigest()

        hash_s = median_time(hash_only, repeat=3) * N / events
        rows["audit.verify_10k_events_s"] = row(verify_s, "s", round(hash_s, 4))

        def fts() -> None:
            assert store.list_suggestions(query="surendettement commission", limit=50)

        def like() -> None:
            conn.execute(
                "SELECT id FROM suggestions WHERE (output LIKE '%surendettement%' OR "
                "rendered_prompt LIKE '%surendettement%') AND (output LIKE '%commission%' OR "
                "rendered_prompt LIKE '%commission%') ORDER BY created_at DESC LIMIT 50"
            ).fetchall()

        fts_s = median_time(fts, repeat=5)
        like_s = median_time(like, repeat=5)
        rows["store.fts_query_ms"] = row(fts_s * 1000, "ms", round(like_s * 1000, 4))
        store.close()
    return rows


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
