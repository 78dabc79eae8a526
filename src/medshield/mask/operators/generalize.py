"""``generalize``: numbers and ages to ranges (40-49, 90+), dates to month or year, codes to a
prefix (E11.9 -> E11, 400010 -> 400***)."""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Any, ClassVar, Literal

import polars as pl
from pydantic import BaseModel, ConfigDict, Field

from medshield.mask.operators.base import MaskContext
from medshield.mask.operators.distinct import Memo, as_text, map_distinct, map_distinct_batch
from medshield.mask.operators.fixedwidth import cover_rows

DATE_TEXT = r"^[0-9]{4}-[0-9]{2}"


class GeneralizeParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["number", "date", "code"] = "number"
    width: int = Field(default=10, ge=1)  # number: bins [lo, lo+width)
    top: int | None = None  # number: values >= top become "<top>+" (ages: 90)
    unit: Literal["month", "year"] = "month"  # date
    keep: int = Field(default=3, ge=0)  # code: characters kept
    pad: str | None = None  # code: hidden characters shown as this (e.g. "*"), else dropped


def band(value: float, width: int, top: int | None) -> str:
    if top is not None and value >= top:
        return f"{top}+"
    q = math.floor(value / width)
    q += 1 if (q + 1) * width <= value else -1 if q * width > value else 0  # exact floor
    lo = q * width
    return f"{lo}-{lo + width - 1}"


class Generalize:
    name: ClassVar[str] = "generalize"
    Params: ClassVar[type[BaseModel]] = GeneralizeParams

    def __init__(self, params: BaseModel, context: MaskContext) -> None:
        assert isinstance(params, GeneralizeParams)
        self.p = params
        self._memo = Memo()

    def mask_value(self, value: Any) -> str | None:
        p = self.p
        if p.kind == "number":
            try:
                number = float(value)
            except (TypeError, ValueError):
                return None
            return None if not math.isfinite(number) else band(number, p.width, p.top)
        if p.kind == "date":
            if isinstance(value, date | datetime):
                text = value.isoformat()
            else:
                text = str(value)
                if not re.match(DATE_TEXT, text):
                    return None
            return text[:7] if p.unit == "month" else text[:4]
        text = str(value)
        hidden = max(len(text) - p.keep, 0)
        return text[: p.keep] + (p.pad * hidden if p.pad else "")

    def apply(self, column: pl.Series) -> pl.Series:
        if self.p.kind == "number" and column.dtype == pl.String:  # numbers written as text
            return map_distinct(column, self.mask_value, pl.String, self._memo)
        return map_distinct_batch(column, self._generalize, pl.String)

    def _generalize(self, column: pl.Series) -> pl.Series:
        p = self.p
        v = pl.col("v")
        if p.kind == "number":
            num = v.cast(pl.Float64, strict=False)
            num = pl.when(num.is_finite()).then(num)
            q = (num / p.width).floor()
            q = pl.when((q + 1) * p.width <= num).then(q + 1).otherwise(q)
            q = pl.when(q * p.width > num).then(q - 1).otherwise(q)
            lo = q.cast(pl.Int64) * p.width
            expr = pl.concat_str(
                lo.cast(pl.String), pl.lit("-"), (lo + p.width - 1).cast(pl.String)
            )
            if p.top is not None:
                expr = pl.when(num >= p.top).then(pl.lit(f"{p.top}+")).otherwise(expr)
        elif p.kind == "date":
            n = 7 if p.unit == "month" else 4
            if column.dtype in (pl.Date, pl.Datetime) or isinstance(column.dtype, pl.Datetime):
                text = v.dt.strftime("%Y-%m-%d")
            else:
                text = v.cast(pl.String)
            expr = pl.when(text.str.contains(DATE_TEXT)).then(text.str.slice(0, n))
        else:
            fast = self._code_rows(column)
            if fast is not None:
                return fast
            text = v.cast(pl.String)
            expr = text.str.slice(0, p.keep)
            if p.pad:
                hidden = (text.str.len_chars().cast(pl.Int64) - p.keep).clip(lower_bound=0)
                longest = int(as_text(column).str.len_chars().max() or 0)  # type: ignore[arg-type]
                expr = pl.concat_str(
                    expr, pl.lit(p.pad * longest).str.slice(0, hidden * len(p.pad))
                )
        frame = pl.DataFrame({"v": column})
        return frame.select(expr.cast(pl.String)).to_series().alias(column.name)

    def _code_rows(self, column: pl.Series) -> pl.Series | None:
        """Codes all ASCII of one length (postcodes, ICD codes of one form), as bytes."""
        if column.dtype != pl.String or column.null_count():
            return None
        width = column.str.len_bytes().max()
        if not isinstance(width, int) or width <= self.p.keep:
            return None
        hidden = width - self.p.keep
        return cover_rows(column, self.p.keep, 0, self.p.pad * hidden if self.p.pad else "")
