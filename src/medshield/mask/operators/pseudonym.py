"""``pseudonym``: a keyed, stable pseudonym: ``<key id>:P<base32 of HMAC-SHA256>``.

The same value gets the same pseudonym under the same key everywhere in the alliance, so data
from member institutions still links. The key id in front shows which key made it; after a
rotation old key ids still resolve through the key ring (``pseudonym_matches``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any, ClassVar

import polars as pl
from pydantic import BaseModel, ConfigDict, Field

from medshield.errors import MaskingError
from medshield.mask.operators.base import MaskContext
from medshield.mask.operators.distinct import as_text, map_distinct_batch
from medshield.mask.operators.keyed import KeyedHash, base32_prefix, hmac_sha256_rows


class PseudonymParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key_id: str | None = None  # None: the ring's active key
    length: int = Field(default=16, ge=8, le=52)  # base32 characters of the digest kept
    prefix: str = Field(default="P", max_length=8)


def normalise(value: Any) -> bytes:
    """Equal identifiers written differently (spaces, lower-case x) give one pseudonym."""
    return str(value).strip().upper().encode("utf-8")


def make_pseudonym(value: Any, key_id: str, secret: bytes, *, length: int, prefix: str) -> str:
    digest = hmac.new(secret, normalise(value), hashlib.sha256).digest()
    return _render(digest, key_id, length, prefix)


def _render(digest: bytes, key_id: str, length: int, prefix: str) -> str:
    return f"{key_id}:{prefix}{base64.b32encode(digest).decode()[:length]}"


def pseudonym_matches(
    value: Any, pseudonym: str, keys: dict[str, bytes], *, prefix: str = "P"
) -> bool:
    """Whether ``pseudonym`` (made under any key still in the ring) stands for ``value``."""
    key_id, _, body = pseudonym.partition(":")
    length = len(body) - len(prefix)
    if key_id not in keys or not body.startswith(prefix) or length < 1:
        return False
    candidate = make_pseudonym(value, key_id, keys[key_id], length=length, prefix=prefix)
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
        self._hash = KeyedHash(self._secret)

    def mask_value(self, value: Any) -> str:
        digest = self._hash.digest(normalise(value))
        return _render(digest, self.key_id, self.p.length, self.p.prefix)

    def apply(self, column: pl.Series) -> pl.Series:
        return map_distinct_batch(as_text(column), self.mask_batch, pl.String)

    def mask_batch(self, values: pl.Series) -> pl.Series:
        """Pseudonyms of distinct non-null values: printable ASCII (nearly every identifier)
        through the vectorised HMAC, anything else through ``mask_value``; same results."""
        plain = values.str.contains(r"^[\x20-\x7e]*$")
        out = pl.Series(values.name, [None] * values.len(), dtype=pl.String)
        fast = values.filter(plain)
        if fast.len():
            normalised = fast.str.strip_chars(" ").str.to_uppercase().cast(pl.Binary)
            digests = hmac_sha256_rows(self._secret, normalised)
            body = pl.Series(base32_prefix(digests, self.p.length)).cast(pl.String)
            out = out.scatter(plain.arg_true(), f"{self.key_id}:{self.p.prefix}" + body)
        slow = values.filter(~plain)
        if slow.len():
            out = out.scatter((~plain).arg_true(), [self.mask_value(v) for v in slow])
        return out
