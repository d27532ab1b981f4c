"""Hash-chain primitives shared by the store (which appends) and the audit (which verifies).

Each event's link hash covers its sequence number, id, kind, time, the SHA-256 of
its payload and the previous link — not the payload itself. That is what lets an
erasure drop a payload (GDPR) while the chain still verifies: the digest stays.
"""

from __future__ import annotations

import hashlib
import json

GENESIS = "0" * 64


def canonical_json(value: object) -> str:
    """One spelling per value: sorted keys, no spaces, UTF-8 kept as is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def payload_digest(payload_text: str) -> str:
    return sha256_text(payload_text)


def link_hash(
    seq: int, event_id: str, kind: str, created_at: str, digest: str, prev_hash: str
) -> str:
    return sha256_text(canonical_json([seq, event_id, kind, created_at, digest, prev_hash]))


def seal_message(seq: int, head_hash: str) -> str:
    return f"assistant-chain-head:{seq}:{head_hash}"
