"""``id_to_birth``: an ID number replaced by the birth date it holds (day, month or year)."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

import polars as pl
from pydantic import BaseModel, ConfigDict

from medshield.mask.operators.base import MaskContext
from medshield.mask.operators.idnumber import birth_expr, birth_of

FORMATS = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}


class IdToBirthParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    precision: Literal["day", "month", "year"] = "day"


class IdToBirth:
    name: ClassVar[str] = "id_to_birth"
    Params: ClassVar[type[BaseModel]] = IdToBirthParams

    def __init__(self, params: BaseModel, context: MaskContext) -> None:
        assert isinstance(params, IdToBirthParams)
        self.fmt = FORMATS[params.precision]

    def mask_value(self, value: Any) -> str | None:
        birth = birth_of(value)
        return None if birth is None else birth.strftime(self.fmt)

    def apply(self, column: pl.Series) -> pl.Series:
        expr = birth_expr(pl.col("v")).dt.strftime(self.fmt)
        return pl.DataFrame({"v": column}).select(expr).to_series().alias(column.name)
