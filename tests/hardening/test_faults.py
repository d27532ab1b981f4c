"""Faults a laptop meets, through the real CLI: each gives one French line, a
non-zero exit, no traceback, and loses nothing already saved.

SIGKILL during generation is covered by tests/store/test_crash.py (not repeated).
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import TEST_PASSPHRASE
from tests.hardening.conftest import ROOT, CliResult, run_cli, run_cli_subprocess

NOTE = "Entretien avec Mme Gwendoline KERBRAT, 06 71 82 93 04. Demande d'aide alimentaire.\n"


@pytest.fixture
def saved_home(tmp_path: Path) -> tuple[Path, str]:
    """A data directory with something already saved: a case and a stored note."""
    home = tmp_path / "home"
    created = run_cli(["case", "create", "Dossier témoin"], home=home)
    assert created.code == 0, created.stderr
    case_id = created.stdout.strip()
    note = tmp_path / "note.txt"
    note.write_text(NOTE, encoding="utf-8")
    return home, case_id


def _assert_nothing_lost(home: Path, case_id: str) -> None:
    from assistant import audit
    from assistant.store import Store

    with Store.open(home, TEST_PASSPHRASE) as store:
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert case_id in {c.id for c in store.list_cases()}
        assert audit.verify_chain(store).ok


# ------------------------------------------------------------------------ model


def _draft(home: Path, model: Path | str, tmp_path: Path) -> CliResult:
    return run_cli(
        ["draft", "--task", "synthese-entretien", str(tmp_path / "note.txt")],
        home=home,
        model=model,
    )


def test_model_missing(saved_home, tmp_path: Path) -> None:
    home, case_id = saved_home
    result = _draft(home, tmp_path / "absent.gguf", tmp_path)
    result.assert_french_failure("Fichier de modèle introuvable")
    _assert_nothing_lost(home, case_id)


def test_model_truncated(saved_home, tmp_path: Path, tiny_model_path: Path) -> None:
    home, case_id = saved_home
    cut = tmp_path / "coupe.gguf"
    data = tiny_model_path.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    _draft(home, cut, tmp_path).assert_french_failure("est tronqué", "models fetch")
    _assert_nothing_lost(home, case_id)


def test_model_corrupt(saved_home, tmp_path: Path, tiny_model_path: Path) -> None:
    home, case_id = saved_home
    data = bytearray(tiny_model_path.read_bytes())
    # Garbage over the metadata, the GGUF signature and version left intact.
    data[40:2000] = bytes((i * 151 + 7) % 256 for i in range(40, 2000))
    bad = tmp_path / "abime.gguf"
    bad.write_bytes(bytes(data))
    _draft(home, bad, tmp_path).assert_french_failure("est corrompu")
    foreign = tmp_path / "pas-un-modele.gguf"
    foreign.write_bytes(b"PK\x03\x04" + bytes(4096))
    _draft(home, foreign, tmp_path).assert_french_failure("n'est pas un modèle GGUF")
    _assert_nothing_lost(home, case_id)


def _limit_address_space(megabytes: int):
    def apply() -> None:
        limit = megabytes * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


def test_model_too_large_for_memory(saved_home, tmp_path: Path, test_model_path: Path) -> None:
    """RLIMIT_AS leaves room for Python and spaCy but not for the model: a memory message."""
    home, case_id = saved_home
    result = run_cli_subprocess(
        ["draft", "--task", "synthese-entretien", str(tmp_path / "note.txt")],
        home=home,
        model=test_model_path,
        preexec_fn=_limit_address_space(750),
    )
    if "mémoire" not in result.stderr.lower() and result.code != 0:
        # The limit hit before the model (spaCy itself): still French, no traceback.
        result.assert_french_failure()
    else:
        result.assert_french_failure("Mémoire insuffisante pour charger le modèle")
    _assert_nothing_lost(home, case_id)
    from assistant.store import Store

    with Store.open(home, TEST_PASSPHRASE) as store:
        # The note given to the failed draft is kept: the practitioner can retry.
        assert sum(c.note_count for c in store.list_cases()) == 1


# --------------------------------------------------------------------- database


@contextlib.contextmanager
def _locked_by_another_process(db: Path) -> Iterator[None]:
    """A second process holding SQLite's write lock (BEGIN EXCLUSIVE) until released."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys\n"
            "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            "c.execute('BEGIN EXCLUSIVE')\n"
            "c.execute(\"INSERT INTO meta (key, value) VALUES ('verrou', 'x')\")\n"
            "print('locked', flush=True)\n"
            "sys.stdin.read()\n"
            "c.execute('ROLLBACK')\n",
            str(db),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        yield
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=10)


def test_database_locked_by_another_process(saved_home) -> None:
    home, case_id = saved_home
    with _locked_by_another_process(home / "assistant.db"):
        # WAL: reading goes on while another process writes.
        listed = run_cli(["case", "list"], home=home)
        assert listed.code == 0 and case_id in listed.stdout, listed.stderr
        started = time.monotonic()
        blocked = run_cli(["case", "create", "Pendant le verrou"], home=home)
        blocked.assert_french_failure("utilisée par un autre programme", "réessayez")
        assert time.monotonic() - started >= 4  # it waited (busy timeout) before giving up
    again = run_cli(["case", "create", "Après le verrou"], home=home)
    assert again.code == 0, again.stderr
    _assert_nothing_lost(home, case_id)


def test_database_corrupted(saved_home) -> None:
    home, _ = saved_home
    db = home / "assistant.db"
    run_cli(["log"], home=home)  # closes cleanly: everything checkpointed into the file
    # Header intact, pages overwritten: SQLite sees a malformed database.
    with db.open("r+b") as fh:
        fh.seek(4096)
        fh.write(b"\xde\xad\xbe\xef" * 4096)
    before = db.read_bytes()
    for args in (["log"], ["case", "list"], ["audit", "verify"], ["case", "create", "x"]):
        result = run_cli(args, home=home)
        result.assert_french_failure("endommagée", "sauvegarde")
    # The damaged file is left as it was, for a backup tool or a recovery.
    assert db.read_bytes() == before
    db.write_bytes(b"\x00" * 8192)
    run_cli(["log"], home=home).assert_french_failure("endommagée")


@contextlib.contextmanager
def _small_filesystem(directory: Path, size: str = "3M") -> Iterator[str]:
    """A small filesystem at ``directory``: tmpfs, else a loop-mounted ext4 image."""
    directory.mkdir(parents=True)
    attempts = [["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(directory)]]
    image = directory.with_suffix(".img")
    if shutil.which("mkfs.ext4"):
        attempts.append(["sh", "-c", f"truncate -s {size} {image} && mkfs.ext4 -q {image}"])
    if os.geteuid() != 0:
        pytest.skip("mounting a small filesystem needs root; RLIMIT_FSIZE is not a full disk")
    mounted = None
    for cmd in attempts:
        proc = subprocess.run(cmd, capture_output=True)
        if proc.returncode == 0 and cmd[0] == "mount":
            mounted = "tmpfs"
            break
        if proc.returncode == 0:
            loop = subprocess.run(["mount", "-o", "loop", str(image), str(directory)])
            if loop.returncode == 0:
                mounted = "ext4"
                break
    if mounted is None:
        pytest.skip("neither tmpfs nor a loop-mounted image can be mounted here")
    try:
        yield mounted
    finally:
        subprocess.run(["umount", "-l", str(directory)], check=False)


def test_database_on_a_full_disk(tmp_path: Path) -> None:
    mount = tmp_path / "petit-disque"
    with _small_filesystem(mount):
        home = mount / "home"
        created = run_cli(["case", "create", "Avant le disque plein"], home=home)
        assert created.code == 0, created.stderr
        case_id = created.stdout.strip()
        # Fill what is left, so the next write cannot grow the WAL.
        filler = mount / "remplissage"
        with filler.open("wb") as fh, contextlib.suppress(OSError):
            while True:
                fh.write(b"\0" * 65536)
                fh.flush()
        failures = []
        for n in range(20):
            result = run_cli(["case", "create", f"Dossier {n} " + "x" * 2000], home=home)
            if result.code != 0:
                failures.append(result)
                break
        assert failures, "the disk never filled up"
        failures[0].assert_french_failure()
        assert "disque est plein" in failures[0].stderr or "espace disque" in failures[0].stderr
        filler.unlink()
        _assert_nothing_lost(home, case_id)
        assert run_cli(["case", "create", "Après"], home=home).code == 0


def test_wrong_and_empty_passphrase(saved_home) -> None:
    home, case_id = saved_home
    wrong = run_cli(["case", "list"], home=home, passphrase="pas la bonne")
    wrong.assert_french_failure("Phrase de passe incorrecte")
    assert case_id not in wrong.stdout
    run_cli(["log"], home=home, passphrase="").assert_french_failure("ne peut pas être vide")
    run_cli(["log"], home=home, passphrase=None).assert_french_failure("ASSISTANT_PASSPHRASE")
    _assert_nothing_lost(home, case_id)


def test_two_instances_on_the_same_data_directory(tmp_path: Path) -> None:
    """Writers started together on a new directory all succeed: SQLite serialises them."""
    home = tmp_path / "home"
    env = {
        **os.environ,
        "ASSISTANT_HOME": str(home),
        "ASSISTANT_PASSPHRASE": TEST_PASSPHRASE,
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'src'}",
    }
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "assistant", "case", "create", f"Dossier {n}"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    results = [(p.wait(timeout=120), *p.communicate()) for p in procs]
    for code, _out, err in results:
        assert code == 0, err
    from assistant import audit
    from assistant.store import Store

    with Store.open(home, TEST_PASSPHRASE) as store:
        assert len(store.list_cases()) == 4
        assert audit.verify_chain(store).ok
