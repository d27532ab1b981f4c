"""The practitioner's commands: deid, draft, review, log, case."""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path

import click

from assistant.cli.context import CliContext
from assistant.errors import InputError

pass_cli = click.make_pass_decorator(CliContext)


def read_note(source: str | None) -> str:
    """Read a note from a file or stdin ('-' or nothing), decoded with French errors."""
    from assistant.pipeline import decode_note

    if source in (None, "-"):
        if sys.stdin is None or sys.stdin.isatty():
            raise InputError("Aucune note : donnez un fichier ou envoyez le texte sur l'entrée.")
        data = sys.stdin.buffer.read()
    else:
        path = Path(source)
        if not path.exists():
            raise InputError(f"Fichier introuvable : {path}")
        if path.is_dir():
            raise InputError(f"{path} est un dossier, pas un fichier texte.")
        try:
            data = path.read_bytes()
        except PermissionError as exc:
            raise InputError(f"Lecture impossible de {path} : accès refusé.") from exc
    return decode_note(data)


# Bidirectional overrides and isolates can visually reorder a line shown to the
# reviewer (a draft that reads differently from what it says).
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def _safe(text: str) -> str:
    """Text from the model or a note goes to the terminal without control sequences."""
    from assistant.pipeline import strip_controls

    return strip_controls(text).translate(_BIDI_CONTROLS)


@click.command("deid")
@click.argument("source", required=False)
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON : texte et entités.")
@click.option(
    "--case", "case_id", help="Dossier : applique sa liste de personnes et ses pseudonymes."
)
@pass_cli
def deid_command(obj: CliContext, source: str | None, as_json: bool, case_id: str | None) -> None:
    """Affiche le texte pseudonymisé d'une note (FICHIER ou entrée standard)."""
    from assistant.deid import get_default_deidentifier
    from assistant.pipeline import clean_note

    text = clean_note(read_note(source))
    if case_id:
        result = obj.assistant().preview(text, case_id)
    else:
        result = get_default_deidentifier().pseudonymise(text)
    if as_json:
        payload = {
            "text": result.text,
            "entities": [
                {
                    "type": e.type,
                    "start": e.start,
                    "end": e.end,
                    "text": e.text,
                    "placeholder": e.placeholder,
                    "score": round(e.score, 3),
                    "recognizer": e.recognizer,
                }
                for e in result.entities
            ],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        click.echo(_safe(result.text))


@click.command("draft")
@click.argument("source", required=False)
@click.option("--task", required=True, help="Tâche : synthese-entretien, note-transmission…")
@click.option("--case", "case_id", help="Dossier de la note.")
@click.option("--seed", type=int, help="Graine fixe (reproductibilité).")
@click.option("--stream/--no-stream", default=False, help="Affiche le texte au fil de l'eau.")
@pass_cli
def draft_command(
    obj: CliContext,
    source: str | None,
    task: str,
    case_id: str | None,
    seed: int | None,
    stream: bool,
) -> None:
    """Rédige une proposition (en attente de relecture) à partir d'une note."""
    text = read_note(source)
    assistant = obj.assistant()
    cancel = threading.Event()

    def on_token(token: str) -> None:
        click.echo(_safe(token), nl=False, err=True)

    def on_progress(message: str) -> None:
        click.echo(message, err=True)

    try:
        outcome = assistant.draft(
            text,
            task,
            case_id=case_id,
            seed=seed,
            cancel=cancel,
            on_token=on_token if stream else None,
            on_progress=on_progress,
        )
    except KeyboardInterrupt:
        cancel.set()
        raise
    if stream:
        click.echo("", err=True)
    suggestion = outcome.suggestion
    click.echo(f"Proposition {suggestion.id} ({suggestion.status})")
    click.echo("")
    click.echo(_safe(outcome.reidentified.text))
    if outcome.reidentified.unknown_placeholders:
        click.echo(
            "\nÀ vérifier : pseudonymes inventés par le modèle : "
            + ", ".join(outcome.reidentified.unknown_placeholders),
            err=True,
        )
    for flag in outcome.suggestion.flags:
        click.echo(f"À vérifier : « {_safe(flag['text'])} » — {flag['reason']}", err=True)


@click.command("review")
@click.argument("suggestion_id")
@click.option("--accept", "decision", flag_value="accepted", help="Accepter la proposition.")
@click.option("--reject", "decision", flag_value="rejected", help="Rejeter (avec --reason).")
@click.option(
    "--edit",
    "edit_file",
    type=click.Path(dir_okay=False),
    help="Accepter avec modifications : fichier du texte final.",
)
@click.option("--reason", help="Raison du rejet.")
@click.option("--print-final", is_flag=True, help="Affiche le texte final accepté.")
@pass_cli
def review_command(
    obj: CliContext,
    suggestion_id: str,
    decision: str | None,
    edit_file: str | None,
    reason: str | None,
    print_final: bool,
) -> None:
    """Relit une proposition : --accept, --reject --reason R ou --edit FICHIER."""
    if edit_file:
        if decision:
            raise InputError("Choisissez une seule action : --accept, --reject ou --edit.")
        decision = "edited"
    if not decision:
        raise InputError("Choisissez une action : --accept, --reject --reason R ou --edit FICHIER.")
    edited = read_note(edit_file) if edit_file else None
    assistant = obj.assistant()
    review = assistant.review(suggestion_id, decision, reason=reason, edited_text=edited)
    labels = {
        "accepted": "acceptée",
        "edited": "acceptée avec modifications",
        "rejected": "rejetée",
    }
    click.echo(f"Proposition {review.suggestion_id} {labels[decision]}.")
    if print_final and decision != "rejected":
        click.echo(_safe(assistant.final_text(review.suggestion_id)))


@click.command("log")
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")
@click.option("-q", "--query", help="Recherche plein texte (contenu pseudonymisé).")
@click.option("--status", help="pending, accepted, edited, rejected, cancelled…")
@click.option("--limit", type=int, default=50, show_default=True)
@pass_cli
def log_command(
    obj: CliContext, as_json: bool, query: str | None, status: str | None, limit: int
) -> None:
    """Journal des propositions (contenu pseudonymisé uniquement)."""
    suggestions = obj.store().list_suggestions(status=status, query=query, limit=limit)
    if as_json:
        click.echo(json.dumps([s.to_dict() for s in suggestions], ensure_ascii=False, indent=2))
        return
    if not suggestions:
        click.echo("Aucune proposition.")
        return
    for s in suggestions:
        click.echo(
            f"{s.id}  {s.created_at[:16]}  {s.status:<11} {s.task:<28} "
            f"{s.prompt_version[:12]}  {s.model_name}"
        )


@click.group("case")
def case_group() -> None:
    """Dossiers et personnes concernées (liste chiffrée)."""


@case_group.command("create")
@click.argument("label")
@pass_cli
def case_create(obj: CliContext, label: str) -> None:
    """Crée un dossier et affiche son identifiant."""
    click.echo(obj.store().create_case(label))


@case_group.command("list")
@pass_cli
def case_list(obj: CliContext) -> None:
    """Liste les dossiers."""
    for case in obj.store().list_cases():
        click.echo(f"{case.id}  {case.note_count:>3} note(s)  {_safe(case.label)}")


@case_group.command("person")
@click.argument("case_id")
@click.argument("name")
@click.option("--alias", "aliases", multiple=True, help="Surnom ou autre nom (répétable).")
@click.option("--role", default="", help="Rôle : mère, enfant, voisin…")
@pass_cli
def case_person(
    obj: CliContext, case_id: str, name: str, aliases: tuple[str, ...], role: str
) -> None:
    """Ajoute une personne à la liste du dossier : toutes ses formes seront masquées."""
    from assistant.deid.types import RosterPerson

    store = obj.store()
    roster = store.get_roster(case_id)
    roster.append(RosterPerson(name=name, aliases=aliases, role=role))
    store.set_roster(case_id, roster)
    click.echo(f"{len(roster)} personne(s) dans le dossier.")


@click.command("demo")
@pass_cli
def demo_command(obj: CliContext) -> None:
    """Crée le dossier de démonstration (notes fictives)."""
    from assistant.demo import install_demo_case

    case_id = install_demo_case(obj.assistant())
    click.echo(f"Dossier de démonstration : {case_id}")


COMMANDS: list[click.Command] = [
    deid_command,
    draft_command,
    review_command,
    log_command,
    case_group,
    demo_command,
]
