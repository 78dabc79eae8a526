"""``cut_address``: an address cut below the district or county (or city, province, town):
重庆市渝中区解放碑街道民族路123号 -> 重庆市渝中区. Parsed with the administrative divisions
(GB/T 2260), not guessed by pattern. An address in which no division is found is suppressed
(it could hold anything).

Whole columns are cut by their heads: the text up to the first 区, 县 or 旗. A head that reads
to a known county and that nothing after it could change (``Divisions.cut_of_head``) gives the
cut of every address starting with it, so a column of a million distinct addresses is parsed
once per county; other addresses are parsed one by one. Both give ``mask_value``'s result."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

import polars as pl
from pydantic import BaseModel, ConfigDict

from medshield.elements.divisions import divisions
from medshield.mask.operators.base import MaskContext
from medshield.mask.operators.distinct import Memo, as_text, map_distinct

COUNTY_END = "[区县旗]"  # each three bytes in UTF-8
HEAD_BYTES = 120  # the first 区, 县 or 旗 further in than this starts no head


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
        self._memo = Memo()
        self._heads = Memo()

    def mask_value(self, value: Any) -> str | None:
        cut = self._divisions.parse_address(str(value)).cut(self.level)
        return cut or None

    def apply(self, column: pl.Series) -> pl.Series:
        text = as_text(column)
        if self.level == "town":
            return map_distinct(text, self.mask_value, pl.String, self._memo)
        end = text.str.find(COUNTY_END)
        head_bytes = pl.when((end > 0) & (end <= HEAD_BYTES)).then(end + 3)
        heads = pl.select(
            pl.lit(text).cast(pl.Binary).bin.head(head_bytes).cast(pl.String)
        ).to_series()
        cuts = map_distinct(heads, self._cut_of_head, pl.String, self._heads)
        undecided = cuts.is_null() & text.is_not_null()
        if undecided.any():
            rest = map_distinct(text.filter(undecided), self.mask_value, pl.String, self._memo)
            cuts = cuts.scatter(undecided.arg_true(), rest)
        return cuts.replace("", None).alias(column.name)  # nothing at that level: suppressed

    def _cut_of_head(self, head: str) -> str | None:
        return self._divisions.cut_of_head(head, self.level)
