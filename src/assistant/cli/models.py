"""`assistant models list|fetch|add|use`: the GGUF files the assistant can use."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from pathlib import Path

import click

from assistant.cli.context import CliContext
from assistant.errors import ModelError

pass_cli = click.make_pass_decorator(CliContext)


def _models_dir() -> Path:
    from assistant.config import default_models_dir

    return default_models_dir()


def _size(n: int) -> str:
    if n >= 1024**3:
        return f"{n / 1024**3:.1f} Go"
    if n >= 1024**2:
        return f"{n / 1024**2:.0f} Mo"
    return f"{n / 1024:.0f} Ko"


@click.group("models")
def models_group() -> None:
    """Modèles GGUF : lister, télécharger, ajouter, choisir."""


@models_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")
@pass_cli
def list_command(obj: CliContext, as_json: bool) -> None:
    """Liste les modèles présents et ceux que l'on peut télécharger."""
    from assistant.config import Settings
    from assistant.llm.registry import KNOWN_MODELS, resolve_model, scan_models
    from assistant.llm.types import LOW_QUALITY_WARNING

    models_dir = _models_dir()
    scanned = scan_models(models_dir)
    try:
        default: Path | None = resolve_model(obj.model, models_dir, home=obj.home)
    except ModelError:
        default = None
    chosen = Settings.load(obj.home).model
    rows = []
    for path, item in scanned:
        row: dict = {"file": path.name, "path": str(path), "default": path == default}
        if isinstance(item, ModelError):
            row["error"] = item.message
        else:
            row |= {
                "name": item.name,
                "architecture": item.architecture,
                "context_length": item.context_length,
                "chat_template": item.chat_template is not None,
                "size": item.size,
                "sha256": item.sha256,
                "label": item.label,
                "warning": LOW_QUALITY_WARNING if item.label else None,
            }
        rows.append(row)
    present = {path.name for path, _ in scanned}
    missing = [
        {"name": k.name, "file": k.filename, "description": k.description}
        for k in KNOWN_MODELS.values()
        if k.filename not in present
    ]
    if as_json:
        click.echo(
            json.dumps(
                {
                    "models_dir": str(models_dir),
                    "selected": chosen,
                    "models": rows,
                    "available": missing,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    click.echo(f"Dossier des modèles : {models_dir}")
    if not rows:
        click.echo("Aucun modèle installé.")
    for row in rows:
        mark = "*" if row["default"] else " "
        if "error" in row:
            click.echo(f"{mark} {row['file']}  — ILLISIBLE : {row['error']}")
            continue
        template = (
            "conversation" if row["chat_template"] else "complétion (sans modèle de conversation)"
        )
        click.echo(
            f"{mark} {row['file']}  {_size(row['size'])}  {row['architecture']}  "
            f"contexte {row['context_length']}  {template}  sha256 {row['sha256'][:12]}…"
        )
        if row["warning"]:
            click.echo(f"    ⚠ modèle « {row['label']} » : {row['warning']}")
    if default is not None:
        click.echo(f"(* = modèle utilisé par défaut{' — choisi : ' + chosen if chosen else ''})")
    for known in missing:
        click.echo(
            f"  non installé : {known['name']} ({known['description']}) — "
            f"`assistant models fetch {known['name']}`"
        )


@models_group.command("fetch")
@click.argument("name")
def fetch_command(name: str) -> None:
    """Télécharge un modèle connu (demo, smollm2-test, gemma3-270m-base) et vérifie son empreinte."""
    from assistant.llm.registry import fetch_model

    path = fetch_model(name, _models_dir(), progress=lambda m: click.echo(m, err=True))
    click.echo(str(path))


@models_group.command("add")
@click.argument("source", type=click.Path(dir_okay=False))
@pass_cli
def add_command(obj: CliContext, source: str) -> None:
    """Vérifie un fichier GGUF et le copie dans le dossier des modèles."""
    from assistant.llm.registry import model_info

    src = Path(source).expanduser()
    info = model_info(src)  # refuses a missing, truncated or corrupt file first
    models_dir = _models_dir()
    models_dir.mkdir(parents=True, exist_ok=True)
    target = models_dir / src.name
    if target.exists() and target.resolve() != src.resolve():
        raise ModelError(
            f"Un fichier {target.name} existe déjà dans {models_dir} : renommez le vôtre ou "
            "supprimez l'ancien."
        )
    if target.resolve() != src.resolve():
        part = target.with_name(target.name + ".part")
        try:
            shutil.copyfile(src, part)
            os.replace(part, target)
        except OSError as exc:
            raise ModelError(
                f"Copie impossible vers {models_dir} : {exc.strerror or exc}. Rien n'a été ajouté."
            ) from exc
        finally:
            with contextlib.suppress(OSError):
                part.unlink()
        info = model_info(target)
    template = "avec" if info.chat_template else "sans"
    click.echo(
        f"Modèle ajouté : {target.name} ({info.architecture}, contexte {info.context_length}, "
        f"{template} modèle de conversation), sha256 {info.sha256}"
    )
    click.echo(f"Pour l'utiliser par défaut : assistant models use {target.name}")


@models_group.command("use")
@click.argument("spec")
@pass_cli
def use_command(obj: CliContext, spec: str) -> None:
    """Choisit le modèle utilisé par défaut (nom connu, fichier du dossier ou chemin)."""
    from assistant.config import Settings
    from assistant.llm.registry import model_info, resolve_model

    models_dir = _models_dir()
    path = resolve_model(spec, models_dir, home=obj.home)
    info = model_info(path)
    # A file inside the models directory is saved by name, so the choice survives
    # moving the directory; anything else by absolute path.
    try:
        inside = path.resolve().parent == models_dir.resolve()
    except OSError:
        inside = False
    value = path.name if inside else str(path.resolve())
    settings = Settings.load(obj.home)
    settings.model = value
    settings.save(obj.home)
    click.echo(f"Modèle par défaut : {value} ({info.name}, sha256 {info.sha256[:12]}…)")
    if info.label:
        from assistant.llm.types import LOW_QUALITY_WARNING

        click.echo(f"⚠ {LOW_QUALITY_WARNING}", err=True)


COMMANDS: list[click.Command] = [models_group]
