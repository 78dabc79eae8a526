"""``id_to_age``: an ID number replaced by the age in whole years at a reference date."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

import polars as pl
from pydantic import BaseModel, ConfigDict

from medshield.mask.operators.base import MaskContext
from medshield.mask.operators.idnumber import age_at, age_expr, birth_expr, birth_of


class IdToAgeParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    reference: date | None = None  # None: the day the operator is built


class IdToAge:
    name: ClassVar[str] = "id_to_age"
    Params: ClassVar[type[BaseModel]] = IdToAgeParams

    def __init__(self, params: BaseModel, context: MaskContext) -> None:
        assert isinstance(params, IdToAgeParams)
        self.reference = params.reference or date.today()

    def mask_value(self, value: Any) -> int | None:
        birth = birth_of(value)
        return None if birth is None else age_at(birth, self.reference)

    def apply(self, column: pl.Series) -> pl.Series:
        expr = age_expr(birth_expr(pl.col("v")), self.reference)
        return pl.DataFrame({"v": column}).select(expr).to_series().alias(column.name)
