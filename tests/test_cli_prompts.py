"""`assistant prompts …` and drafting with each task, through the real command line."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from assistant.cli import cli
from assistant.config import SOURCE_ROOT
from assistant.errors import PromptError
from assistant.prompts import APPROVED_EVENT, PromptLibrary
from tests.conftest import TEST_PASSPHRASE
from tests.store.seed import stored_suggestion

TASKS = sorted(
    p.stem for p in (SOURCE_ROOT / "prompts").glob("*.toml") if not p.name.startswith("_")
)


@pytest.fixture
def prompts_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the real task files, used by the commands through ASSISTANT_PROMPTS_DIR.

    The published approvals are left out: these tests are about local approval.
    """
    directory = tmp_path / "prompts"
    shutil.copytree(SOURCE_ROOT / "prompts", directory, ignore=shutil.ignore_patterns("_*"))
    monkeypatch.setenv("ASSISTANT_PROMPTS_DIR", str(directory))
    return directory


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def open_store(home: Path):
    from assistant.store import Store

    return Store.open(home, TEST_PASSPHRASE)


def test_list_approve_list(home: Path, prompts_dir: Path) -> None:
    listed = invoke("prompts", "list").stdout
    for task in TASKS:
        assert task in listed
    assert listed.count("non approuvée") == len(TASKS)

    approved = invoke("prompts", "approve", "synthese-entretien", "--by", "Claire E.").stdout
    version = PromptLibrary.load(prompts_dir).get("synthese-entretien").version
    assert f"Version {version[:12]} de synthese-entretien approuvée par Claire E." in approved
    assert "journal d'audit" in approved

    rows = {r["id"]: r for r in json.loads(invoke("prompts", "list", "--json").stdout)}
    assert rows["synthese-entretien"]["approved"] is True
    assert rows["synthese-entretien"]["approver"] == "Claire E."
    assert rows["synthese-entretien"]["version"] == version
    assert rows["reformulation"]["approved"] is False

    again = invoke("prompts", "approve", "synthese-entretien", "--by", "Autre").stdout
    assert "déjà approuvée par Claire E." in again
    with open_store(home) as store:
        events = store.list_events(kind=APPROVED_EVENT)
    assert [(e.payload["prompt_id"], e.payload["approver"]) for e in events] == [
        ("synthese-entretien", "Claire E.")
    ]
    # The approval sits in the tamper-evident chain, which still verifies.
    assert invoke("audit", "verify").exit_code == 0


def test_approver_comes_from_settings_or_is_required(home: Path, prompts_dir: Path) -> None:
    from assistant.config import Settings

    with pytest.raises(PromptError, match="Indiquez qui approuve"):
        CliRunner().invoke(cli, ["prompts", "approve", "reformulation"], catch_exceptions=False)
    Settings(reviewer="cadre-01").save(home)
    assert "approuvée par cadre-01" in invoke("prompts", "approve", "reformulation").stdout


def test_show_and_diff_after_an_edit(home: Path, prompts_dir: Path) -> None:
    path = prompts_dir / "note-transmission.toml"
    old_source = path.read_text(encoding="utf-8")
    assert invoke("prompts", "show", "note-transmission").stdout == old_source

    invoke("prompts", "approve", "note-transmission", "--by", "Claire E.")
    assert invoke("prompts", "diff", "note-transmission").stdout == "Aucune différence.\n"

    new_source = old_source.replace("Points de vigilance.", "Points de vigilance, contacts.")
    path.write_text(new_source, encoding="utf-8")
    old_version = PromptLibrary.load(SOURCE_ROOT / "prompts").get("note-transmission").version

    shown = invoke("prompts", "show", "note-transmission", "--version", old_version[:12])
    assert shown.stdout == old_source
    assert "approuvée par Claire E." in shown.stderr
    assert "non approuvée" in invoke("prompts", "show", "note-transmission").stderr

    changes = invoke("prompts", "diff", "note-transmission").stdout
    assert f"--- note-transmission {old_version[:12]}" in changes
    assert "-Situation, Actions réalisées, Actions à poursuivre, Points de vigilance." in changes
    assert (
        "+Situation, Actions réalisées, Actions à poursuivre, Points de vigilance, contacts."
        in (changes)
    )
    assert "non approuvée" in invoke("prompts", "list").stdout.split("note-transmission")[1]


def test_diff_without_any_approval_shows_the_whole_file(home: Path, prompts_dir: Path) -> None:
    result = invoke("prompts", "diff", "reformulation")
    assert "Aucune version approuvée" in result.stderr
    assert '+id = "reformulation"' in result.stdout


def test_stats_table_and_json(home: Path, prompts_dir: Path) -> None:
    from assistant.deid.types import DeidResult, PseudonymMap

    version = "c" * 64
    with open_store(home) as store:
        case_id = store.create_case("dossier")
        note_id = store.add_note(case_id, "note", DeidResult("note", [], PseudonymMap()))
        for decision in ("accepted", "rejected"):
            suggestion_id = stored_suggestion(
                store,
                note_id,
                case_id,
                "texte",
                task="reformulation",
                prompt_id="reformulation",
                prompt_version=version,
            )
            store.review(
                suggestion_id,
                decision=decision,
                reason="Ton inadapté" if decision == "rejected" else None,
            )

    table = invoke("prompts", "stats").stdout
    line = next(row for row in table.splitlines() if row.startswith("reformulation"))
    assert version[:12] in line
    assert "50%" in line
    assert "Ton inadapté (1)" in line

    (row,) = json.loads(invoke("prompts", "stats", "--json").stdout)
    assert (row["uses"], row["accepted"], row["rejected"]) == (2, 1, 1)
    assert row["acceptance_rate"] == 0.5

    bundle = home.parent / "export.jsonl"
    invoke("audit", "export", "--out", str(bundle), "--format", "jsonl")
    from_bundle = json.loads(invoke("prompts", "stats", "--bundle", str(bundle), "--json").stdout)
    assert from_bundle == [row]


def _run(home: Path, *args: str, model: Path | None = None, prompts: Path | None = None):
    env = dict(os.environ, ASSISTANT_HOME=str(home), ASSISTANT_PASSPHRASE=TEST_PASSPHRASE)
    if prompts is not None:
        env["ASSISTANT_PROMPTS_DIR"] = str(prompts)
    command = [sys.executable, "-m", "assistant", "--home", str(home)]
    if model is not None:
        command += ["--model", str(model)]
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, env=env, timeout=900, cwd=SOURCE_ROOT
    )


def test_errors_are_one_french_line_without_traceback(home: Path, prompts_dir: Path) -> None:
    path = prompts_dir / "reformulation.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("\nuser = ", "\nusr = "), "utf-8")
    line = path.read_text(encoding="utf-8").splitlines().index('usr = """') + 1

    result = _run(home, "prompts", "list", prompts=prompts_dir)

    assert result.returncode == 1
    assert result.stderr == (
        f"Erreur : Consigne reformulation.toml, ligne {line} : clé inconnue « usr ».\n"
    )
    unknown = _run(home, "prompts", "show", "inconnue", prompts=SOURCE_ROOT / "prompts")
    assert unknown.returncode == 1
    assert unknown.stderr.startswith("Erreur : Tâche inconnue : « inconnue ».")
    assert "Traceback" not in unknown.stderr


NOTES = {
    "synthese-entretien": "Entretien avec <PERSONNE_1> au CCAS. Elle demande une aide pour "
    "sa facture d'énergie de 320 €. Elle dit être inquiète pour ses deux enfants.",
    "synthese-procedure": "Dossier MDPH pour <PERSONNE_1> : formulaire cerfa, certificat "
    "médical de moins d'un an, justificatif de domicile. Réponse sous quatre mois.",
    "note-transmission": "<PERSONNE_1> est suivie depuis mars. Dossier FSL déposé. "
    "Reste à relancer le bailleur. Attention : rendez-vous médical le 12.",
    "pistes-projet-personnalise": "<PERSONNE_1> souhaite un logement autonome, "
    "apprendre à gérer son budget et reprendre une formation.",
    "reformulation": "Mme <PERSONNE_1> est encore venue se plaindre, elle ne fait aucun effort.",
    "compte-rendu-vad": "Visite au domicile de <PERSONNE_1> avec <PERSONNE_2>. Logement "
    "humide, chauffage en panne. Elle dit ne plus pouvoir payer l'électricité.",
}


@pytest.mark.e2e
def test_every_task_drafts_with_the_test_model_once_approved(
    home: Path, prompts_dir: Path, tmp_path: Path, test_model_path: Path
) -> None:
    # Short drafts keep this affordable on a shared 2-core machine; the
    # structured task keeps its own limit, already bounded by its JSON schema.
    for path in prompts_dir.glob("*.toml"):
        if path.stem != "pistes-projet-personnalise":
            text = re.sub(r"max_tokens = \d+", "max_tokens = 32", path.read_text("utf-8"))
            path.write_text(text, encoding="utf-8")
    model = ["--model", str(test_model_path)]
    note = tmp_path / "note.txt"
    note.write_text(NOTES["reformulation"], encoding="utf-8")
    refused = CliRunner().invoke(cli, [*model, "draft", "--task", "reformulation", str(note)])
    assert isinstance(refused.exception, PromptError)
    assert "n'est pas approuvée" in refused.exception.message

    for task in TASKS:
        invoke("prompts", "approve", task, "--by", "Claire E.")
    for task in TASKS:
        note.write_text(NOTES[task], encoding="utf-8")
        drafted = invoke(*model, "draft", "--task", task, "--seed", "7", str(note)).stdout
        assert drafted.startswith("Proposition "), drafted
        assert drafted.split("\n", 2)[2].strip(), f"{task}: empty draft"

    logged = json.loads(invoke("log", "--json").stdout)
    versions = {p.id: p.version for p in PromptLibrary.load(prompts_dir).list()}
    assert {(e["prompt_id"], e["prompt_version"]) for e in logged} == set(versions.items())
    assert {e["status"] for e in logged} == {"pending"}
    pistes = next(e for e in logged if e["prompt_id"] == "pistes-projet-personnalise")
    assert isinstance(json.loads(pistes["output"]), list)
