"""The fast GGUF header reader agrees with the gguf package's GGUFReader."""

from __future__ import annotations

from pathlib import Path

import pytest
from gguf import GGUFReader

from assistant.llm.gguf_header import GGUFFormatError, TruncatedGGUF, read_header

KEYS = ("general.architecture", "general.name", "tokenizer.chat_template")


def _reference(path: Path) -> tuple[dict, int]:
    reader = GGUFReader(path, "r")
    values = {k: reader.fields[k].contents() for k in KEYS if k in reader.fields}
    arch = values["general.architecture"]
    values[f"{arch}.context_length"] = reader.fields[f"{arch}.context_length"].contents()
    end = max(int(t.data_offset) + int(t.n_bytes) for t in reader.tensors)
    return values, end


def _check(path: Path) -> None:
    expected, end = _reference(path)
    header = read_header(path)
    for key, value in expected.items():
        assert header[key] == value, key
    assert header["__data_end__"] == end
    assert end <= path.stat().st_size


def test_agrees_with_gguf_reader_on_tiny(tiny_model_path: Path) -> None:
    _check(tiny_model_path)


@pytest.mark.e2e
def test_agrees_with_gguf_reader_on_real_model(test_model_path: Path) -> None:
    _check(test_model_path)


def test_truncated_and_foreign_files(tmp_path: Path, tiny_model_path: Path) -> None:
    data = tiny_model_path.read_bytes()
    cut = tmp_path / "cut.gguf"
    cut.write_bytes(data[:300])
    with pytest.raises(TruncatedGGUF):
        read_header(cut)
    cut.write_bytes(data[: len(data) // 2])
    assert read_header(cut)["__data_end__"] > len(data) // 2
    other = tmp_path / "other.gguf"
    other.write_bytes(b"\x7fELF" + bytes(100))
    with pytest.raises(GGUFFormatError, match="signature"):
        read_header(other)
    future = tmp_path / "v9.gguf"
    future.write_bytes(b"GGUF" + (9).to_bytes(4, "little") + bytes(100))
    with pytest.raises(GGUFFormatError, match="version"):
        read_header(future)
