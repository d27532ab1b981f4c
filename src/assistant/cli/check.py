"""`assistant check NOTE_FILE DRAFT_FILE [--json]`: what the draft says that the note does not.

Works on texts already de-identified, so it needs neither the passphrase nor
the store: a practitioner or a script can check any pair of files.
"""

from __future__ import annotations

import json

import click

from assistant.cli.core import read_note

KIND_LABELS = {
    "number": "nombre",
    "placeholder": "pseudonyme",
    "role": "rôle",
    "entity": "entité",
    "measure": "mesure",
    "unsupported": "peu étayé",
    "negation": "négation",
    "sensitive": "sujet sensible",
}


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


@click.command("check")
@click.argument("note_file", metavar="NOTE_FILE")
@click.argument("draft_file", metavar="DRAFT_FILE")
@click.option("--json", "as_json", is_flag=True, help='Sortie JSON : {"flags": [...]}.')
def check_command(note_file: str, draft_file: str, as_json: bool) -> None:
    """Signale ce que le brouillon (DRAFT_FILE) affirme et que la note (NOTE_FILE) ne dit pas.

    Les deux textes doivent être pseudonymisés (<PERSONNE_1>…). Les positions
    sont données dans le brouillon.
    """
    note = read_note(note_file)
    draft = read_note(draft_file)
    from assistant.review_aids import get_default_checker

    flags = get_default_checker().check(note, draft)
    if as_json:
        payload = {"flags": [flag.to_dict() for flag in flags]}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    if not flags:
        click.echo("Aucun point à vérifier : rien dans le brouillon ne semble absent de la note.")
        click.echo("Relisez-le tout de même avant de le valider.")
        return
    click.echo(f"{len(flags)} point(s) à vérifier dans le brouillon :")
    for flag in flags:
        line, col = _line_col(draft, flag.start)
        label = KIND_LABELS.get(flag.kind, flag.kind)
        click.echo(f"\n[{label}] ligne {line}, col. {col} : « {flag.text} »")
        click.echo(f"  {flag.reason}")
        if flag.source:
            click.echo(f"  Note : « {flag.source} »")


COMMANDS: list[click.Command] = [check_command]
