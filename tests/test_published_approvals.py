"""Approvals shipped with the library: the product works on first run, and only
for the exact versions a supervisor approved."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.config import default_prompts_dir
from assistant.errors import PromptError
from assistant.prompts import (
    APPROVED_EVENT,
    PUBLISHED_APPROVALS_FILE,
    PromptLibrary,
    ensure_usable,
    is_approved,
    published_approvals,
)
from assistant.store import Store
from tests.conftest import TEST_PASSPHRASE


@pytest.fixture
def store(home: Path):
    s = Store.open(home, TEST_PASSPHRASE)
    yield s
    s.close()


def test_every_shipped_task_is_published_as_approved() -> None:
    library = PromptLibrary.load(default_prompts_dir())
    published = {(e["id"], e["version"]) for e in published_approvals(default_prompts_dir())}
    missing = [p.id for p in library.list() if (p.id, p.version) not in published]
    assert not missing, (
        f"prompt files changed without a published approval: {missing}; "
        "run `assistant prompts approve TASK --by NAME --publish`"
    )


def test_first_use_records_the_published_approval_in_the_chain(store: Store) -> None:
    prompt = PromptLibrary.load(default_prompts_dir()).get("synthese-entretien")
    assert is_approved(store, prompt)
    assert store.list_events(kind=APPROVED_EVENT) == []
    ensure_usable(store, prompt, allow_unapproved=False)
    events = store.list_events(kind=APPROVED_EVENT)
    assert len(events) == 1
    assert events[0].payload["version"] == prompt.version
    assert events[0].payload["source"] == PUBLISHED_APPROVALS_FILE
    ensure_usable(store, prompt, allow_unapproved=False)
    assert len(store.list_events(kind=APPROVED_EVENT)) == 1


def test_an_edited_file_is_not_covered_by_the_published_approval(
    store: Store, tmp_path: Path
) -> None:
    library_dir = tmp_path / "prompts"
    shutil.copytree(default_prompts_dir(), library_dir)
    task = library_dir / "synthese-entretien.toml"
    task.write_text(task.read_text(encoding="utf-8") + "\n# modifié\n", encoding="utf-8")
    prompt = PromptLibrary.load(library_dir).get("synthese-entretien")
    assert not is_approved(store, prompt)
    with pytest.raises(PromptError, match="pas approuvée"):
        ensure_usable(store, prompt, allow_unapproved=False)


def test_a_malformed_approvals_file_names_the_file_and_line(tmp_path: Path) -> None:
    (tmp_path / PUBLISHED_APPROVALS_FILE).write_text(
        '# en-tête\n\n[[approbation]]\nid = "x"\nversion = "abc"\n', encoding="utf-8"
    )
    with pytest.raises(PromptError, match=r"_approbations\.toml.*ligne 3"):
        published_approvals(tmp_path)


def test_prompts_list_shows_published_approvals(home: Path) -> None:
    from click.testing import CliRunner

    from assistant.cli import cli

    result = CliRunner().invoke(cli, ["prompts", "list"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "non approuvée" not in result.output
    assert result.output.count("approuvée par Équipe projet") == 6
