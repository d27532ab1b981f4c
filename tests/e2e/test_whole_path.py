"""The whole path through the command line, with the real SmolLM2 test model.

note -> deid -> prompt -> llama.cpp -> pending suggestion -> review -> log,
exactly as a script or a practitioner would drive it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SEEDED = {
    "first_name": "Gwendoline",
    "surname": "KERBRAT",
    "phone": "06 71 82 93 04",
    "email": "g.kerbrat@exemple.org",
    "nir": "2 91 07 29 019 004 62",
}
NOTE = (
    f"Entretien avec Mme {SEEDED['first_name']} {SEEDED['surname']} au CCAS.\n"
    f"Téléphone : {SEEDED['phone']}, courriel {SEEDED['email']}.\n"
    f"NIR {SEEDED['nir']}. Elle demande une aide pour sa facture d'énergie de 320 €.\n"
    f"Mme {SEEDED['surname']} a deux enfants de 4 et 7 ans et cherche un emploi.\n"
)


def run(
    home: Path, model: Path, *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess:
    env = dict(os.environ, ASSISTANT_HOME=str(home), ASSISTANT_PASSPHRASE="phrase e2e")
    return subprocess.run(
        [sys.executable, "-m", "assistant", "--home", str(home), "--model", str(model), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        cwd=ROOT,
    )


@pytest.fixture
def note_file(tmp_path: Path) -> Path:
    path = tmp_path / "note.txt"
    path.write_text(NOTE, encoding="utf-8")
    return path


def test_draft_log_review_accept(tmp_path: Path, note_file: Path, test_model_path: Path) -> None:
    home = tmp_path / "data"
    drafted = run(home, test_model_path, "draft", "--task", "synthese-entretien", str(note_file))
    assert drafted.returncode == 0, drafted.stderr
    first_line = drafted.stdout.splitlines()[0]
    assert first_line.startswith("Proposition ")
    suggestion_id = first_line.split()[1]
    draft_text = drafted.stdout.split("\n", 2)[2]
    assert draft_text.strip(), "the draft is empty"

    logged = run(home, test_model_path, "log", "--json")
    assert logged.returncode == 0, logged.stderr
    entries = json.loads(logged.stdout)
    entry = next(e for e in entries if e["id"] == suggestion_id)
    assert entry["status"] == "pending"
    assert len(entry["prompt_version"]) == 64
    assert entry["prompt_id"] == "synthese-entretien"
    assert entry["model_sha256"] == (
        "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
    )
    params = entry["params"]
    for key in ("temperature", "top_p", "top_k", "repeat_penalty", "max_tokens", "seed"):
        assert key in params
    assert entry["completion_tokens"] > 0
    assert entry["prompt_tokens"] > 0

    reviewed = run(home, test_model_path, "review", suggestion_id, "--accept")
    assert reviewed.returncode == 0, reviewed.stderr
    after = json.loads(run(home, test_model_path, "log", "--json").stdout)
    assert next(e for e in after if e["id"] == suggestion_id)["status"] == "accepted"

    accepted_only = json.loads(
        run(home, test_model_path, "log", "--json", "--status", "accepted").stdout
    )
    assert [e["id"] for e in accepted_only] == [suggestion_id]

    # Nothing personal in what the log prints.
    for value in SEEDED.values():
        assert value not in logged.stdout


def test_reject_needs_a_reason_and_is_logged(
    tmp_path: Path, note_file: Path, test_model_path: Path
) -> None:
    home = tmp_path / "data"
    drafted = run(home, test_model_path, "draft", "--task", "synthese-entretien", str(note_file))
    assert drafted.returncode == 0, drafted.stderr
    suggestion_id = drafted.stdout.split()[1]

    no_reason = run(home, test_model_path, "review", suggestion_id, "--reject")
    assert no_reason.returncode != 0
    assert "raison" in no_reason.stderr.lower()
    assert "Traceback" not in no_reason.stderr

    rejected = run(
        home, test_model_path, "review", suggestion_id, "--reject", "--reason", "Faits inexacts"
    )
    assert rejected.returncode == 0, rejected.stderr
    entries = json.loads(run(home, test_model_path, "log", "--json").stdout)
    entry = next(e for e in entries if e["id"] == suggestion_id)
    assert entry["status"] == "rejected"

    twice = run(home, test_model_path, "review", suggestion_id, "--accept")
    assert twice.returncode != 0, "a reviewed suggestion must not be reviewed again"
    assert "Traceback" not in twice.stderr
