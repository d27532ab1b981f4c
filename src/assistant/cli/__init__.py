"""Command-line interface: thin click commands over ``assistant.pipeline``.

Errors reach the user as one French line on stderr and a non-zero exit code,
never a traceback (see ``main``).
"""

from __future__ import annotations

import os
import sys

import click

from assistant.cli.context import CliContext
from assistant.errors import AssistantError
from assistant.offline import enforce_offline


@click.group(invoke_without_command=True)
@click.option(
    "--home",
    envvar="ASSISTANT_HOME",
    type=click.Path(file_okay=False),
    help="Dossier des données (défaut : dossier de données de l'utilisateur).",
)
@click.option(
    "--model",
    envvar="ASSISTANT_MODEL",
    help="Modèle à utiliser : chemin d'un fichier GGUF ou nom connu.",
)
@click.version_option(package_name="assistant", message="assistant %(version)s")
@click.pass_context
def cli(ctx: click.Context, home: str | None, model: str | None) -> None:
    """Assistant d'écriture local pour les notes des travailleurs sociaux.

    Sans commande, ouvre l'application plein écran.
    """
    ctx.obj = CliContext.create(home=home, model=model)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:
        from assistant.tui.app import run_app

        run_app(ctx.obj)


def _register() -> None:
    # Imported here so `assistant --help` stays fast: each module imports its
    # heavy dependencies (spaCy, llama.cpp) only inside its commands.
    from assistant.cli import audit, check, core, models, prompts

    for module in (core, models, prompts, audit, check):
        for command in module.COMMANDS:
            cli.add_command(command)


_register()


def main() -> None:
    """Console-script entry point."""
    enforce_offline()
    try:
        cli.main(standalone_mode=False)
    except AssistantError as exc:
        click.echo(f"Erreur : {exc.message}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Interrompu.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrompu.", err=True)
        sys.exit(130)
    except MemoryError:
        click.echo("Erreur : mémoire insuffisante pour cette opération.", err=True)
        sys.exit(1)
    except UnicodeError:
        # Python decodes argv with surrogateescape: a label, a name or a search
        # typed in a non-UTF-8 terminal cannot be encrypted or searched.
        click.echo(
            "Erreur : un texte donné à la commande n'est pas en UTF-8 valide "
            "(caractères illisibles). Retapez-le dans un terminal en UTF-8. Rien n'a été perdu.",
            err=True,
        )
        sys.exit(1)
    except OSError as exc:
        click.echo(f"Erreur système : {exc.strerror or exc}. Rien n'a été perdu.", err=True)
        sys.exit(1)
    except Exception as exc:
        # Last resort: a traceback or an exception message may quote a note, so
        # only the exception's type is shown. ASSISTANT_DEBUG=1 shows it all.
        if os.environ.get("ASSISTANT_DEBUG"):
            raise
        click.echo(
            f"Erreur inattendue ({type(exc).__name__}). Les données déjà enregistrées ne sont "
            "pas perdues ; réessayez, et si cela persiste signalez-le avec ce nom d'erreur.",
            err=True,
        )
        sys.exit(1)
