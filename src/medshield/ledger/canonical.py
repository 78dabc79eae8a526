"""Canonical bytes of an event and the hash that links each record to the one before.

The canonical form is JSON with sorted keys, UTF-8 (no ``\\u`` escapes for Chinese) and no
whitespace. A record's hash covers its sequence number, the previous record's hash, the copies
of ``at`` and ``action`` kept for queries, and the digest of the canonical body::

    body_digest = H(body)
    hash        = H("{seq}|{prev_hash}|{at_us}|{action}|{body_digest}")

Hashing the body's digest rather than the body lets an export prove the link across records it
does not disclose (it carries only their digests).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from medshield.errors import LedgerError
from medshield.ledger.events import Event

HashAlg = Literal["sha256", "sm3"]
HASH_ALGS: tuple[HashAlg, ...] = ("sha256", "sm3")
GENESIS = "0" * 64  # the "previous hash" of record 1
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_body(event: Event) -> str:
    """The event as canonical JSON text (hash its UTF-8 bytes).

    ``Event`` declares its fields in sorted order and sorts ``detail``, so pydantic's compact
    JSON has sorted keys at every level; it differs from ``canonical_json`` only in how it
    writes some floats (``1e-8``, not ``1e-08``). The stored body is what counts: verifying
    never re-serialises."""
    return event.model_dump_json()


def to_us(at: datetime) -> int:
    """Microseconds since the Unix epoch; a naive datetime is taken as UTC."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return (at - EPOCH) // _US


def from_us(at_us: int) -> datetime:
    return EPOCH + timedelta(microseconds=at_us)


def digest_function(alg: str) -> Callable[[bytes], str]:
    """``bytes -> hex digest`` for ``alg`` (sha256, or sm3 from OpenSSL or cryptography)."""
    if alg == "sha256":
        sha256 = hashlib.sha256
        return lambda data: sha256(data).hexdigest()
    if alg == "sm3":
        if "sm3" in hashlib.algorithms_available:
            empty = hashlib.new("sm3")  # copying is cheaper than a lookup by name each time

            def sm3_openssl(data: bytes) -> str:
                h = empty.copy()
                h.update(data)
                return h.hexdigest()

            return sm3_openssl
        from cryptography.hazmat.primitives import hashes

        def sm3(data: bytes) -> str:
            h = hashes.Hash(hashes.SM3())
            h.update(data)
            return h.finalize().hex()

        return sm3
    raise LedgerError(f"unknown ledger hash {alg!r}; known: {', '.join(HASH_ALGS)}")


class Linker:
    """Computes record hashes for one algorithm."""

    def __init__(self, alg: str) -> None:
        self.alg = alg
        self.digest = digest_function(alg)

    def body_digest(self, body: str) -> str:
        return self.digest(body.encode("utf-8"))

    def link(self, seq: int, prev_hash: str, at_us: int, action: str, body_digest: str) -> str:
        return self.digest(f"{seq}|{prev_hash}|{at_us}|{action}|{body_digest}".encode())

    def record_hash(self, seq: int, prev_hash: str, at_us: int, action: str, body: str) -> str:
        return self.link(seq, prev_hash, at_us, action, self.body_digest(body))
