"""`assistant prompts`: the supervisor's view of the prompt library.

list, show, diff, approve and stats are thin shells over ``assistant.prompts``;
nothing here touches personal data (prompt files and de-identified statistics).
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from assistant.cli.context import CliContext
from assistant.config import Settings, default_prompts_dir
from assistant.errors import PromptError
from assistant.prompts import (
    PromptLibrary,
    approval_record,
    approvals,
    approve,
    diff,
    publish_approval,
    resolve_version,
    version_stats,
)

pass_cli = click.make_pass_decorator(CliContext)


def _library() -> PromptLibrary:
    return PromptLibrary.load(default_prompts_dir())


def _approval_label(record: dict | None) -> str:
    if record is None:
        return "non approuvée"
    return f"approuvée par {record['approver']} le {record['approved_at'][:10]}"


@click.group("prompts")
def prompts_group() -> None:
    """Consignes des tâches : versions, différences, approbation, statistiques."""


@prompts_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")
@pass_cli
def list_command(obj: CliContext, as_json: bool) -> None:
    """Liste les tâches, la version actuelle de leur consigne et son approbation."""
    library = _library()
    store = obj.store()
    rows = []
    for prompt in library.list():
        record = approval_record(store, prompt)
        rows.append(
            {
                "id": prompt.id,
                "title": prompt.title,
                "version": prompt.version,
                "approved": record is not None,
                "approver": record["approver"] if record else None,
                "approved_at": record["approved_at"] if record else None,
                "path": str(prompt.path),
            }
        )
        if not as_json:
            click.echo(
                f"{prompt.id:<28} {prompt.short_version}  {_approval_label(record):<42} "
                f"{prompt.title}"
            )
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))


@prompts_group.command("show")
@click.argument("task_id")
@click.option("--version", help="Empreinte d'une version (défaut : le fichier actuel).")
@pass_cli
def show_command(obj: CliContext, task_id: str, version: str | None) -> None:
    """Affiche le texte exact d'une version de consigne."""
    store = obj.store()
    full, source = resolve_version(store, _library(), task_id, version)
    record = next((a for a in approvals(store, task_id) if a["version"] == full), None)
    # The header goes to stderr so that stdout is the file, byte for byte.
    click.echo(f"# {task_id} — version {full[:12]} — {_approval_label(record)}", err=True)
    click.echo(source, nl=False)


@prompts_group.command("diff")
@click.argument("task_id")
@click.option("--from", "old", help="Version de départ (défaut : la dernière approuvée).")
@click.option("--to", "new", help="Version d'arrivée (défaut : le fichier actuel).")
@pass_cli
def diff_command(obj: CliContext, task_id: str, old: str | None, new: str | None) -> None:
    """Montre ce qui change entre deux versions (par défaut : approuvée → actuelle)."""
    store = obj.store()
    library = _library()
    new_version, new_source = resolve_version(store, library, task_id, new)
    if old is None:
        approved = [a["version"] for a in approvals(store, task_id)]
        if not approved:
            click.echo(
                "Aucune version approuvée : le fichier complet est montré comme ajouté.",
                err=True,
            )
            old_version, old_source = "", ""
        else:
            old_version, old_source = resolve_version(store, library, task_id, approved[-1])
    else:
        old_version, old_source = resolve_version(store, library, task_id, old)
    text = diff(
        old_source,
        new_source,
        f"{task_id} {old_version[:12] or '(aucune)'}",
        f"{task_id} {new_version[:12]}",
    )
    if not text:
        click.echo("Aucune différence.")
        return
    click.echo(text, nl=False)


@prompts_group.command("approve")
@click.argument("task_id")
@click.option("--version", help="Empreinte de la version (défaut : le fichier actuel).")
@click.option("--by", "approver", help="Qui approuve (défaut : « reviewer » des réglages).")
@click.option(
    "--publish",
    is_flag=True,
    help="Inscrit aussi l'approbation dans prompts/_approbations.toml, diffusé avec la bibliothèque.",
)
@pass_cli
def approve_command(
    obj: CliContext, task_id: str, version: str | None, approver: str | None, publish: bool
) -> None:
    """Approuve une version : inscrit qui, quoi et quand dans le journal d'audit."""
    approver = approver or Settings.load(obj.home).reviewer
    if not approver:
        raise PromptError(
            'Indiquez qui approuve : --by "Nom Prénom" (ou « reviewer » dans les réglages).'
        )
    library = _library()
    record = approve(obj.store(), task_id, version, approver, library=library)
    short = record["version"][:12]
    if publish:
        path = publish_approval(library.directory, record)
        click.echo(f"Approbation publiée dans {path}.")
    if record.get("already_approved"):
        click.echo(
            f"La version {short} de {task_id} était déjà {_approval_label(record)} : "
            "rien de nouveau n'est inscrit."
        )
        return
    click.echo(
        f"Version {short} de {task_id} {_approval_label(record)} (inscrit dans le journal d'audit)."
    )


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


@prompts_group.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")
@click.option(
    "--bundle",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Lire un export d'audit au lieu des données locales.",
)
@pass_cli
def stats_command(obj: CliContext, as_json: bool, bundle: Path | None) -> None:
    """Par version de consigne : utilisations, acceptations, modifications, rejets."""
    rows = version_stats(bundle if bundle is not None else obj.store())
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("Aucune proposition enregistrée.")
        return
    click.echo(
        f"{'tâche':<28} {'version':<12}  {'util.':>5} {'acc.':>4} {'mod.':>4} {'rej.':>4} "
        f"{'taux acc.':>9} {'dist. moy.':>10} {'dist. méd.':>10}  motifs de rejet"
    )
    for row in rows:
        reasons = ", ".join(f"{r} ({n})" for r, n in row["rejection_reasons"].items())
        click.echo(
            f"{row['prompt_id']:<28} {row['short_version']:<12}  {row['uses']:>5} "
            f"{row['accepted']:>4} {row['edited']:>4} {row['rejected']:>4} "
            f"{_rate(row['acceptance_rate']):>9} {_number(row['mean_edit_distance']):>10} "
            f"{_number(row['median_edit_distance']):>10}  {reasons or '—'}"
        )


COMMANDS: list[click.Command] = [prompts_group]
