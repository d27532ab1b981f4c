"""`assistant audit`: verify the chain, export bundles, retention purge, erasure."""

from __future__ import annotations

import json
from pathlib import Path

import click

from assistant.cli.context import CliContext
from assistant.errors import InputError, StoreError

pass_cli = click.make_pass_decorator(CliContext)


class TamperedLogError(StoreError):
    """The audit chain does not verify: exit code 1, the report on stderr."""


@click.group("audit")
def audit_group() -> None:
    """Journal d'audit : vérifier, exporter, purger, effacer."""


@audit_group.command("verify")
@click.option(
    "--bundle",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Vérifie un export (SQLite ou JSONL) au lieu de la base locale.",
)
@click.option(
    "--head",
    help="Avec --bundle : l'empreinte de tête de chaîne affichée lors de l'export.",
)
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")
@pass_cli
def verify_command(obj: CliContext, bundle: Path | None, head: str | None, as_json: bool) -> None:
    """Vérifie que le journal n'a pas été modifié (code 0 intact, 1 altéré)."""
    from assistant.audit import verify_bundle, verify_chain

    if head and not bundle:
        raise InputError("--head s'utilise avec --bundle.")
    report = verify_bundle(bundle, expected_head=head) if bundle else verify_chain(obj.store())
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False))
    if not report.ok:
        raise TamperedLogError(report.message_fr)
    if not as_json:
        click.echo(report.message_fr)


@audit_group.command("export")
@click.option(
    "--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Fichier créé."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["sqlite", "jsonl", "csv", "html"]),
    default="sqlite",
    show_default=True,
    help="sqlite et jsonl se vérifient ailleurs ; csv pour un tableur ; html pour un rapport.",
)
@click.option(
    "--merge",
    "bundles",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Fusionne ces exports (répétable) au lieu d'exporter la base locale.",
)
@pass_cli
def export_command(obj: CliContext, out: Path, fmt: str, bundles: tuple[Path, ...]) -> None:
    """Écrit un export pseudonymisé (aucune donnée personnelle) pour l'encadrement ou un comité."""
    from assistant.audit import export_bundle, merge_bundles, verify_data, write_bundle

    if bundles:
        data = merge_bundles(bundles)
        write_bundle(data, out, fmt)
        for warning in data.warnings:
            click.echo(f"Attention : {warning}", err=True)
        for report in verify_data(data):
            state = "intact" if report.ok else "ALTÉRÉ"
            click.echo(f"Source {report.source} : {state} — {report.message_fr}")
        click.echo(
            f"Export fusionné écrit : {out} ({len(data.sources)} source(s), "
            f"{len(data.suggestions)} suggestion(s))."
        )
        return
    summary = export_bundle(obj.store(), out, fmt)
    click.echo(f"Export écrit : {summary['path']} ({summary['suggestions']} suggestion(s)).")
    click.echo(
        f"Tête de chaîne : événement n° {summary['head_seq']}, empreinte {summary['head_hash']}"
    )
    click.echo("Notez cette empreinte : elle permet de vérifier l'export sur un autre poste.")
    if not summary["verified"]:
        click.echo(
            "Attention : le journal local ne se vérifie pas (assistant audit verify).", err=True
        )


@audit_group.command("purge")
@click.option("--days", type=int, help="Durée de conservation en jours (défaut : réglages).")
@pass_cli
def purge_command(obj: CliContext, days: int | None) -> None:
    """Supprime le texte brut des notes plus anciennes que la durée de conservation."""
    from assistant.audit import purge_raw_notes
    from assistant.config import Settings

    if days is None:
        days = Settings.load(obj.home).retention_days
    if days is None:
        raise InputError(
            "Aucune durée de conservation : indiquez --days N ou retention_days dans settings.toml."
        )
    count = purge_raw_notes(obj.store(), days)
    click.echo(
        f"{count} note(s) de plus de {days} jour(s) purgée(s) ; le journal reste vérifiable."
    )


@audit_group.command("erase")
@click.option("--case", "case_id", help="Efface tout le dossier.")
@click.option("--name", help="Efface cette personne (dans --case, ou dans tous les dossiers).")
@click.option("--yes", is_flag=True, help="Ne pas demander de confirmation.")
@pass_cli
def erase_command(obj: CliContext, case_id: str | None, name: str | None, yes: bool) -> None:
    """Droit à l'effacement : efface une personne ou un dossier, de façon irréversible."""
    from assistant.audit import erase_person

    if not case_id and not name:
        raise InputError("Indiquez --case ID ou --name NOM.")
    if not yes:
        stdin = click.get_text_stream("stdin")
        if not stdin.isatty():
            raise InputError("Effacement irréversible : confirmez avec --yes.")
        click.confirm("Cet effacement est irréversible. Continuer ?", abort=True)
    report = erase_person(obj.store(), case_id=case_id, name=name)
    click.echo(
        f"Effacement fait : {len(report.cases)} dossier(s), {report.notes} note(s) modifiée(s), "
        f"{report.events_redacted} contenu(s) d'événement retiré(s). Le journal reste vérifiable."
    )


COMMANDS: list[click.Command] = [audit_group]
