"""Passphrase -> key, and authenticated encryption of the fields that hold personal data.

Argon2id with RFC 9106's second recommended setting (64 MiB, 3 passes): memory-hard
enough that guessing passphrases on a stolen laptop is slow, and about 0.15 s on a
2-core machine. The parameters and the random salt live in the database, so they
can be raised later without breaking existing data.

Each encrypted field is AES-256-GCM with a fresh nonce, and its table, column and
row id as associated data: a ciphertext copied from one row or column into
another fails to decrypt instead of silently showing the wrong person's note.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
from dataclasses import dataclass

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from assistant.errors import StoreError

BLOB_VERSION = b"\x01"
NONCE_BYTES = 12


@dataclass(frozen=True)
class KdfParams:
    time_cost: int = 3
    memory_kib: int = 64 * 1024
    parallelism: int = 1

    def to_dict(self) -> dict:
        return {
            "algorithm": "argon2id",
            "time_cost": self.time_cost,
            "memory_kib": self.memory_kib,
            "parallelism": self.parallelism,
        }

    @classmethod
    def from_dict(cls, data: dict) -> KdfParams:
        return cls(
            time_cost=int(data["time_cost"]),
            memory_kib=int(data["memory_kib"]),
            parallelism=int(data["parallelism"]),
        )


def new_salt() -> bytes:
    return os.urandom(16)


# The same process opens the same store many times (tests, CLI then TUI): deriving
# once per (passphrase, salt, params) keeps the real cost without paying it again.
# The cache lives in memory only, like the key itself while the store is open.
@functools.lru_cache(maxsize=8)
def _argon2(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    return hash_secret_raw(
        secret=passphrase.encode("utf-8"),
        salt=salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=32,
        type=Type.ID,
    )


def _subkey(master: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(master)


class Cipher:
    """Encrypts fields and seals the audit chain head with keys from one passphrase."""

    def __init__(self, passphrase: str, salt: bytes, params: KdfParams) -> None:
        master = _argon2(passphrase, salt, params)
        self._aead = AESGCM(_subkey(master, b"assistant/fields/v1"))
        self._mac_key = _subkey(master, b"assistant/chain-seal/v1")

    def encrypt(self, plaintext: str, context: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, plaintext.encode("utf-8"), context.encode("utf-8"))
        return BLOB_VERSION + nonce + sealed

    def decrypt(self, blob: bytes, context: str) -> str:
        if not blob or blob[:1] != BLOB_VERSION:
            raise StoreError(
                "Une donnée chiffrée est illisible (format inconnu). "
                "Restaurez une sauvegarde de la base."
            )
        nonce, sealed = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
        try:
            return self._aead.decrypt(nonce, sealed, context.encode("utf-8")).decode("utf-8")
        except InvalidTag as exc:
            raise StoreError(
                "Une donnée chiffrée a été altérée ou déplacée et ne peut pas être lue. "
                "Restaurez une sauvegarde de la base."
            ) from exc

    def check(self, blob: bytes, context: str) -> bool:
        """True if this key opens ``blob`` (used to recognise a wrong passphrase)."""
        try:
            self.decrypt(blob, context)
        except StoreError:
            return False
        return True

    def seal(self, message: str) -> str:
        return hmac.new(self._mac_key, message.encode("utf-8"), hashlib.sha256).hexdigest()

    def seal_ok(self, message: str, mac: str) -> bool:
        return hmac.compare_digest(self.seal(message), mac)
