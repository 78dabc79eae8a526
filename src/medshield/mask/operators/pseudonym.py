"""``pseudonym``: a keyed, stable pseudonym: ``<key id>:P<base32 of the keyed hash>``.

The keyed hash is HMAC-SHA256 (the default) or AES-CMAC, the ``algorithm`` parameter; every
institution of the alliance must use the same one for pseudonyms to join. Base32 (A-Z, 2-7)
never spells a phone or ID number, so pseudonyms pass the ledger's raw-identifier guard.

The same value gets the same pseudonym under the same key everywhere in the alliance, so data
from member institutions still links. The key id in front shows which key made it; after a
rotation old key ids still resolve through the key ring (``pseudonym_matches``).
"""

from __future__ import annotations

import base64
import hmac
from typing import Any, ClassVar, Self

import polars as pl
from pydantic import BaseModel, ConfigDict, Field, model_validator

from medshield.errors import MaskingError
from medshield.mask.operators.base import MaskContext
from medshield.mask.operators.distinct import as_text, map_distinct_batch
from medshield.mask.operators.keyed import (
    DIGEST_SIZES,
    Algorithm,
    KeyedHash,
    base32_prefix,
    keyed_digests,
    normalised,
    prefixed_strings,
)


class PseudonymParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key_id: str | None = None  # None: the ring's active key
    length: int = Field(default=16, ge=8, le=52)  # base32 characters of the digest kept
    prefix: str = Field(default="P", max_length=8)
    algorithm: Algorithm = "hmac-sha256"

    @model_validator(mode="after")
    def _fits_the_digest(self) -> Self:
        most = base32_length(DIGEST_SIZES[self.algorithm])
        if self.length > most:
            raise ValueError(f"length {self.length}: {self.algorithm} gives {most} characters")
        return self


def base32_length(size: int) -> int:
    """Base32 characters of a digest of ``size`` bytes (the last one may be part padding)."""
    return -(-size * 8 // 5)


def normalise(value: Any) -> bytes:
    """Equal identifiers written differently (spaces, lower-case x) give one pseudonym."""
    return normalised(value).encode("utf-8")


def make_pseudonym(
    value: Any,
    key_id: str,
    secret: bytes,
    *,
    length: int,
    prefix: str,
    algorithm: Algorithm = "hmac-sha256",
) -> str:
    digest = KeyedHash(secret, algorithm).digest(normalise(value))
    return _render(digest, key_id, length, prefix)


def _render(digest: bytes, key_id: str, length: int, prefix: str) -> str:
    return f"{key_id}:{prefix}{base64.b32encode(digest).decode()[:length]}"


def pseudonym_matches(
    value: Any,
    pseudonym: str,
    keys: dict[str, bytes],
    *,
    prefix: str = "P",
    algorithm: Algorithm = "hmac-sha256",
) -> bool:
    """Whether ``pseudonym`` (made under any key still in the ring) stands for ``value``."""
    key_id, _, body = pseudonym.partition(":")
    length = len(body) - len(prefix)
    if key_id not in keys or not body.startswith(prefix) or length < 1:
        return False
    candidate = make_pseudonym(
        value, key_id, keys[key_id], length=length, prefix=prefix, algorithm=algorithm
    )
    return hmac.compare_digest(candidate, pseudonym)


class Pseudonym:
    name: ClassVar[str] = "pseudonym"
    Params: ClassVar[type[BaseModel]] = PseudonymParams

    def __init__(self, params: BaseModel, context: MaskContext) -> None:
        assert isinstance(params, PseudonymParams)
        self.p = params
        key_id = params.key_id or context.active_key
        if key_id is None or key_id not in context.keys:
            raise MaskingError(
                f"pseudonym needs a key: {key_id!r} is not in the key ring", where="keys"
            )
        self.key_id = key_id
        self._secret = context.keys[key_id]
        self._hash = KeyedHash(self._secret, params.algorithm)

    def mask_value(self, value: Any) -> str:
        digest = self._hash.digest(normalise(value))
        return _render(digest, self.key_id, self.p.length, self.p.prefix)

    def apply(self, column: pl.Series) -> pl.Series:
        return map_distinct_batch(as_text(column), self.mask_batch, pl.String)

    def mask_batch(self, values: pl.Series) -> pl.Series:
        """Pseudonyms of non-null values, vectorised; the same as ``mask_value`` gives."""
        width = min(-(-self.p.length * 5 // 8), self._hash.size)
        body = base32_prefix(keyed_digests(self._hash, values, width), self.p.length)
        return prefixed_strings(values.name, f"{self.key_id}:{self.p.prefix}", body)
