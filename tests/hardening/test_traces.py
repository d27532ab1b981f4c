"""Files and traces: seed known personal values, run every command, scan what is left.

The data directory must be 0700 and every file in it 0600; no seeded value may
appear in any file written there, in any export, in any stderr, or in the
stdout of commands meant for supervisors and the ethics committee. No ESC
byte may reach the terminal from any command.

One draft with the real test model (the point is a real generation); the
other suggestions to review are added through the store's public API.
"""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

import pytest

from assistant.store import Store
from tests.conftest import TEST_PASSPHRASE
from tests.hardening.conftest import ESC, CliResult, run_cli
from tests.store.seed import Seeded, add_suggestion

SEEDS = {
    "first name": "Gwendoline",
    "surname": "KERBRAT",
    "alias": "Gwenn",
    "phone": "06 71 82 93 04",
    "phone (compact)": "0671829304",
    "nir": "2 91 07 29 019 004 62",
    "nir (compact)": "291072901900462",
    "email": "g.kerbrat@exemple.org",
    "address": "14 rue des Capucines",
}
NOTE = (
    "Entretien avec Mme Gwendoline KERBRAT (dite Gwenn) au CCAS.\n"
    "\x1b[31mTéléphone : 06 71 82 93 04\x1b[0m, courriel g.kerbrat@exemple.org.\n"
    "NIR 2 91 07 29 019 004 62. Domicile : 14 rue des Capucines, 35000 Rennes.\n"
    "Elle demande une aide pour sa facture d'énergie de 320 €. {{ 7*7 }}\n"
)


def _leaks(text: str | bytes) -> list[str]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    lowered = data.lower()
    return [key for key, value in SEEDS.items() if value.lower().encode("utf-8") in lowered]


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory, test_model_path: Path) -> dict:
    """Every CLI command, once, on one data directory; the results for the checks below."""
    tmp = tmp_path_factory.mktemp("traces")
    home = tmp / "home"
    exports = tmp / "exports"
    exports.mkdir()
    note = tmp / "note.txt"
    note.write_text(NOTE, encoding="utf-8")
    results: dict[str, CliResult] = {}

    def cli(name: str, args: list[str], **kwargs) -> CliResult:
        result = run_cli(args, home=home, model=kwargs.pop("model", test_model_path), **kwargs)
        results[name] = result
        return result

    case_id = cli("case create", ["case", "create", "Famille KERBRAT"]).stdout.strip()
    assert (
        cli(
            "case person", ["case", "person", case_id, "Gwendoline KERBRAT", "--alias", "Gwenn"]
        ).code
        == 0
    )
    cli("case list", ["case", "list"])
    cli("deid", ["deid", str(note)])
    cli("deid --case", ["deid", "--case", case_id, "-"], stdin=NOTE.encode("utf-8"))
    cli("deid --json", ["deid", "--json", str(note)])
    draft = cli(
        "draft",
        ["draft", "--task", "synthese-entretien", "--case", case_id, "--seed", "7", str(note)],
    )
    assert draft.code == 0, draft.stderr
    draft_id = draft.stdout.split()[1]

    with Store.open(home, TEST_PASSPHRASE) as store:
        seeded = Seeded(case_id, store.get_suggestion(draft_id).note_id)
        to_edit = add_suggestion(store, seeded, "<PERSONNE_1> demande une aide énergie.")
        to_reject = add_suggestion(store, seeded, "Texte hors sujet.")
    edited = tmp / "final.txt"
    edited.write_text(
        "Mme Gwendoline KERBRAT (06 71 82 93 04) demande une aide.\x1b[2J\n", encoding="utf-8"
    )
    cli("review accept", ["review", draft_id, "--accept", "--print-final"])
    cli("review edit", ["review", to_edit, "--edit", str(edited)])
    cli("review reject", ["review", to_reject, "--reject", "--reason", "Mme KERBRAT absente"])
    cli("log", ["log"])
    cli("log --json", ["log", "--json"])
    cli("log -q", ["log", "-q", "aide"])
    cli("log -q name", ["log", "-q", "KERBRAT"])
    cli("audit verify", ["audit", "verify"])
    for fmt in ("sqlite", "jsonl", "csv", "html"):
        out = exports / f"export.{fmt}"
        assert (
            cli(f"export {fmt}", ["audit", "export", "--out", str(out), "--format", fmt]).code == 0
        )
    cli("prompts list", ["prompts", "list"])
    cli("prompts stats", ["prompts", "stats"])
    cli("models list", ["models", "list"])
    cli("models use", ["models", "use", str(test_model_path)])
    deid_note = tmp / "note-deid.txt"
    deid_note.write_text("<PERSONNE_1> a 2 enfants.\x1b[31m\n", encoding="utf-8")
    deid_draft = tmp / "draft-deid.txt"
    deid_draft.write_text("<PERSONNE_1> a 5 enfants et un \x1b]0;chien\x07.\n", encoding="utf-8")
    cli("check", ["check", str(deid_note), str(deid_draft)])
    # A command that fails with personal data in its input: the error names none of it.
    cli(
        "draft (no model)",
        ["draft", "--task", "synthese-entretien", str(note)],
        model=tmp / "x.gguf",
    )
    cli("review (bad id)", ["review", "ffffffff", "--reject", "--reason", "Mme KERBRAT"])
    return {"home": home, "exports": exports, "results": results, "case_id": case_id}


def test_every_command_ran_as_expected(session: dict) -> None:
    results = session["results"]
    failing = {"draft (no model)", "review (bad id)"}
    for name, result in results.items():
        assert "Traceback" not in result.stderr, (name, result.stderr)
        if name in failing:
            result.assert_french_failure()
        else:
            assert result.code == 0, (name, result.stdout, result.stderr)
    assert "{{ 7*7 }}" in results["deid"].stdout and "49" not in results["deid"].stdout


def test_no_escape_byte_reaches_the_terminal(session: dict) -> None:
    for name, result in session["results"].items():
        assert ESC not in result.stdout, name
        assert ESC not in result.stderr, name


# Outputs shown only to the note's author, on their own terminal, by design:
# `deid --json` lists each entity's original text, `review --print-final` prints
# the re-identified final text, `draft` prints the re-identified draft, and
# `case list` / `case create` show the case labels the author typed.
AUTHOR_ONLY_STDOUT = {"deid --json", "review accept", "draft", "case list", "case create"}


def test_no_personal_data_in_outputs_meant_for_others(session: dict) -> None:
    # The scanner sees the values where they are meant to be (else it proves nothing).
    assert {"surname", "phone", "email"} <= set(_leaks(session["results"]["deid --json"].stdout))
    for name, result in session["results"].items():
        assert not _leaks(result.stderr), (name, _leaks(result.stderr), result.stderr)
        if name not in AUTHOR_ONLY_STDOUT:
            assert not _leaks(result.stdout), (name, _leaks(result.stdout), result.stdout)


def test_no_personal_data_in_any_file_written(session: dict) -> None:
    files = [p for p in session["home"].rglob("*") if p.is_file()]
    files += [p for p in session["exports"].rglob("*") if p.is_file()]
    names = {p.name for p in files}
    assert {"assistant.db", "llama.log", "settings.toml"} <= names, names
    assert {f"export.{fmt}" for fmt in ("sqlite", "jsonl", "csv", "html")} <= names
    for path in files:
        assert not _leaks(path.read_bytes()), (path, _leaks(path.read_bytes()))


def test_data_directory_is_private(session: dict) -> None:
    home: Path = session["home"]
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    for path in home.rglob("*"):
        mode = stat.S_IMODE(path.stat().st_mode)
        if path.is_dir():
            assert mode == 0o700, path
        else:
            assert mode == 0o600, (path, oct(mode))
    for path in session["exports"].iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, (path, oct(path.stat().st_mode))


def test_wal_and_shm_are_private_while_open(session: dict) -> None:
    # -wal and -shm only exist while a connection is open: look at them then.
    home: Path = session["home"]
    with Store.open(home, TEST_PASSPHRASE) as store:
        store.create_case("Pendant")
        for name in ("assistant.db-wal", "assistant.db-shm"):
            path = home / name
            assert path.exists(), name
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, name


def test_review_decisions_are_stored_de_identified(session: dict) -> None:
    log = json.loads(session["results"]["log --json"].stdout)
    decisions = {s["status"] for s in log}
    assert {"accepted", "edited", "rejected"} <= decisions
    text = json.dumps(log, ensure_ascii=False)
    assert re.search(r"<PERSONNE_\d+>", text)
