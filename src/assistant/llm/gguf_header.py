"""Fast GGUF header reader: the metadata we need, and the checks a truncated
download fails.

Why not ``gguf.GGUFReader``: it builds numpy views for every element of every
metadata array, and a modern vocabulary has 150k tokens plus 150k merges —
18 s for the 0.5B demo model on a busy 2-core machine, paid before the first
draft. This reader walks the same format (the ``gguf`` package's constants
give value types and tensor block sizes) and skips arrays without decoding
them: well under a second. ``tests/llm/test_gguf_header.py`` checks that it
agrees with ``GGUFReader``.
"""

from __future__ import annotations

import mmap
import struct
from pathlib import Path

GGUF_MAGIC = b"GGUF"
_SCALARS = {  # GGUFValueType -> struct format
    0: "<B",
    1: "<b",
    2: "<H",
    3: "<h",
    4: "<I",
    5: "<i",
    6: "<f",
    7: "<?",
    10: "<Q",
    11: "<q",
    12: "<d",
}
_STRING, _ARRAY = 8, 9
# Keys whose (possibly long) string values we keep; other strings are skipped.
_MAX_COUNT = 1 << 40


class GGUFFormatError(ValueError):
    """The bytes are not a well-formed GGUF header."""


class TruncatedGGUF(GGUFFormatError):
    """The file ends before the header or the tensor data does."""


class _Cursor:
    def __init__(self, buf: mmap.mmap | bytes) -> None:
        self.buf = buf
        self.pos = 0
        self.size = len(buf)

    def need(self, n: int) -> None:
        if n < 0 or self.pos + n > self.size:
            raise TruncatedGGUF(f"fin de fichier à l'octet {self.pos} ({n} octets attendus)")

    def scalar(self, fmt: str) -> int | float | bool:
        n = struct.calcsize(fmt)
        self.need(n)
        (value,) = struct.unpack_from(fmt, self.buf, self.pos)
        self.pos += n
        return value

    def u32(self) -> int:
        return int(self.scalar("<I"))

    def u64(self) -> int:
        return int(self.scalar("<Q"))

    def string(self) -> str:
        n = self.u64()
        self.need(n)
        raw = bytes(self.buf[self.pos : self.pos + n])
        self.pos += n
        return raw.decode("utf-8", errors="replace")

    def skip_string(self) -> None:
        n = self.u64()
        self.need(n)
        self.pos += n

    def value(self, vtype: int, keep: bool) -> object:
        if vtype in _SCALARS:
            return self.scalar(_SCALARS[vtype])
        if vtype == _STRING:
            if keep:
                return self.string()
            self.skip_string()
            return None
        if vtype == _ARRAY:
            item_type = self.u32()
            count = self.u64()
            if count > _MAX_COUNT:
                raise GGUFFormatError(f"tableau de {count} éléments")
            if item_type in _SCALARS:
                n = struct.calcsize(_SCALARS[item_type]) * count
                self.need(n)
                self.pos += n
            elif item_type == _STRING:
                for _ in range(count):
                    self.skip_string()
            elif item_type == _ARRAY:
                for _ in range(count):
                    self.value(_ARRAY, False)
            else:
                raise GGUFFormatError(f"type d'élément inconnu {item_type}")
            return None
        raise GGUFFormatError(f"type de valeur inconnu {vtype}")


def read_header(path: Path) -> dict:
    """Scalar and string metadata of a GGUF file (arrays are skipped), plus
    ``__version__``, ``__n_tensors__`` and ``__data_end__`` (where the last
    tensor's data ends: larger than the file size means a truncated file)."""
    from gguf.constants import GGML_QUANT_SIZES, GGMLQuantizationType

    with Path(path).open("rb") as handle:
        size = handle.seek(0, 2)
        if size < 24:
            raise TruncatedGGUF(f"{size} octets seulement")
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as buf:
            cur = _Cursor(buf)
            cur.need(4)
            if bytes(buf[0:4]) != GGUF_MAGIC:
                raise GGUFFormatError("signature GGUF absente")
            cur.pos = 4
            version = cur.u32()
            if version not in (2, 3):
                raise GGUFFormatError(f"version GGUF {version} non prise en charge")
            n_tensors = cur.u64()
            n_kv = cur.u64()
            if n_tensors > 1_000_000 or n_kv > 1_000_000:
                raise GGUFFormatError(f"en-tête incohérent ({n_tensors} tenseurs, {n_kv} clés)")
            meta: dict = {}
            for _ in range(n_kv):
                key = cur.string()
                vtype = cur.u32()
                meta[key] = cur.value(vtype, keep=True)
            alignment = meta.get("general.alignment", 32)
            if not isinstance(alignment, int) or alignment <= 0:
                raise GGUFFormatError(f"alignement invalide {alignment}")
            data_end = 0
            for _ in range(n_tensors):
                cur.skip_string()
                n_dims = cur.u32()
                if n_dims > 8:
                    raise GGUFFormatError(f"tenseur à {n_dims} dimensions")
                elements = 1
                for _ in range(n_dims):
                    elements *= cur.u64()
                ttype = cur.u32()
                offset = cur.u64()
                try:
                    block, type_size = GGML_QUANT_SIZES[GGMLQuantizationType(ttype)]
                except (ValueError, KeyError) as exc:
                    raise GGUFFormatError(f"type de tenseur inconnu {ttype}") from exc
                data_end = max(data_end, offset + elements // block * type_size)
            start = cur.pos + (-cur.pos % alignment)
    meta["__version__"] = version
    meta["__n_tensors__"] = n_tensors
    meta["__data_end__"] = start + data_end
    return meta
