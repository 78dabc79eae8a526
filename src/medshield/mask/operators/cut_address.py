"""``cut_address``: an address cut below the district or county (or city, province, town):
重庆市渝中区解放碑街道民族路123号 -> 重庆市渝中区. Parsed with the administrative divisions
(GB/T 2260), not guessed by pattern. An address in which no division is found is suppressed
(it could hold anything)."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

import polars as pl
from pydantic import BaseModel, ConfigDict

from medshield.elements.divisions import divisions
from medshield.mask.operators.base import MaskContext
from medshield.mask.operators.distinct import as_text, map_distinct


class CutAddressParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    level: Literal["province", "city", "district", "town"] = "district"


class CutAddress:
    name: ClassVar[str] = "cut_address"
    Params: ClassVar[type[BaseModel]] = CutAddressParams

    def __init__(self, params: BaseModel, context: MaskContext) -> None:
        assert isinstance(params, CutAddressParams)
        self.level = params.level
        self._divisions = divisions()

    def mask_value(self, value: Any) -> str | None:
        cut = self._divisions.parse_address(str(value)).cut(self.level)
        return cut or None

    def apply(self, column: pl.Series) -> pl.Series:
        return map_distinct(as_text(column), self.mask_value, pl.String)
