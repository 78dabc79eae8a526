"""``random_id``: a random identifier per release (R22 detail analysis).

Equal values inside one release get the same identifier, so joins inside the release work; a
fresh random secret per release means nothing links one release to another. Identifiers are
checked unique within a column (a collision of 80-bit values fails closed).
"""

from __future__ import annotations

import base64
import secrets
import threading
from typing import Any, ClassVar

import polars as pl
from pydantic import BaseModel, ConfigDict, Field

from medshield.errors import MaskingError
from medshield.mask.operators.base import MaskContext
from medshield.mask.operators.distinct import as_text, map_distinct
from medshield.mask.operators.keyed import KeyedHash

_RELEASE_SECRETS: dict[str, bytes] = {}
_LOCK = threading.Lock()


def release_secret(context: MaskContext) -> bytes:
    """The random secret of ``context.release_id`` (``extras['release_secret']`` when given)."""
    given = context.extras.get("release_secret")
    if isinstance(given, bytes):
        return given
    with _LOCK:
        return _RELEASE_SECRETS.setdefault(context.release_id, secrets.token_bytes(32))


class RandomIdParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    prefix: str = Field(default="R", max_length=8)
    length: int = Field(default=16, ge=12, le=52)


class RandomId:
    name: ClassVar[str] = "random_id"
    Params: ClassVar[type[BaseModel]] = RandomIdParams

    def __init__(self, params: BaseModel, context: MaskContext) -> None:
        assert isinstance(params, RandomIdParams)
        self.p = params
        self._hash = KeyedHash(release_secret(context))

    def mask_value(self, value: Any) -> str:
        digest = self._hash.digest(str(value).strip().upper().encode("utf-8"))
        return self.p.prefix + base64.b32encode(digest).decode()[: self.p.length]

    def apply(self, column: pl.Series) -> pl.Series:
        seen: dict[str, str] = {}

        def unique_id(value: Any) -> str:
            made = self.mask_value(value)
            norm = str(value).strip().upper()
            if seen.setdefault(made, norm) != norm:
                raise MaskingError(
                    "random identifiers collided; release refused", where=column.name
                )
            return made

        return map_distinct(as_text(column), unique_id, pl.String)
