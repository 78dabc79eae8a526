"""``id_to_age_band``: an ID number replaced by an age band (40-49, 90+) at a reference date."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

import polars as pl
from pydantic import BaseModel, ConfigDict, Field

from medshield.mask.operators.base import MaskContext
from medshield.mask.operators.idnumber import age_at, age_expr, birth_expr, birth_of


class IdToAgeBandParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    width: int = Field(default=10, ge=1, le=100)
    top: int | None = 90  # ages at or above top become "90+"
    reference: date | None = None  # None: the day the operator is built


class IdToAgeBand:
    name: ClassVar[str] = "id_to_age_band"
    Params: ClassVar[type[BaseModel]] = IdToAgeBandParams

    def __init__(self, params: BaseModel, context: MaskContext) -> None:
        assert isinstance(params, IdToAgeBandParams)
        self.p = params
        self.reference = params.reference or date.today()

    def mask_value(self, value: Any) -> str | None:
        birth = birth_of(value)
        if birth is None:
            return None
        age = age_at(birth, self.reference)
        if self.p.top is not None and age >= self.p.top:
            return f"{self.p.top}+"
        lo = age // self.p.width * self.p.width
        return f"{lo}-{lo + self.p.width - 1}"

    def apply(self, column: pl.Series) -> pl.Series:
        age = age_expr(birth_expr(pl.col("v")), self.reference)
        lo = age.floordiv(self.p.width) * self.p.width
        band = pl.concat_str(
            lo.cast(pl.String), pl.lit("-"), (lo + self.p.width - 1).cast(pl.String)
        )
        if self.p.top is not None:
            band = pl.when(age >= self.p.top).then(pl.lit(f"{self.p.top}+")).otherwise(band)
        return pl.DataFrame({"v": column}).select(band).to_series().alias(column.name)
