"""``suppress``: blank the value (null), or replace it with a fixed placeholder."""

from __future__ import annotations

from typing import Any, ClassVar

import polars as pl
from pydantic import BaseModel, ConfigDict

from medshield.mask.operators.base import MaskContext


class SuppressParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    replacement: str | None = None  # None: the value becomes null


class Suppress:
    name: ClassVar[str] = "suppress"
    Params: ClassVar[type[BaseModel]] = SuppressParams

    def __init__(self, params: BaseModel, context: MaskContext) -> None:
        assert isinstance(params, SuppressParams)
        self.p = params

    def mask_value(self, value: Any) -> str | None:
        return self.p.replacement

    def apply(self, column: pl.Series) -> pl.Series:
        if self.p.replacement is None:
            return pl.Series(column.name, [None] * column.len(), dtype=column.dtype)
        frame = pl.DataFrame({"v": column})
        kept = pl.when(pl.col("v").is_not_null()).then(pl.lit(self.p.replacement))
        return frame.select(kept.otherwise(None).cast(pl.String)).to_series().alias(column.name)
