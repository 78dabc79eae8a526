"""``cover``: hide the middle of a value with ``*``, ``?`` or ``XX`` (张三 -> 张*, 138****5678).

Counts characters, not bytes, so Chinese names are safe. A value no longer than the kept prefix
and suffix still has at least one character hidden: the suffix, then the prefix, give way.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

import polars as pl
from pydantic import BaseModel, ConfigDict, Field

from medshield.mask.operators.base import MaskContext
from medshield.mask.operators.distinct import as_text, map_distinct_batch
from medshield.mask.operators.fixedwidth import cover_rows

# 复姓: with keep_surname the whole compound surname is kept (欧阳娜娜 -> 欧阳**).
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 钟离 "
    "端木 独孤 南宫 西门 百里 呼延 万俟 闻人 赫连 澹台 公冶 宗政 濮阳 太叔 申屠 淳于 "
    "单于 仲孙 东郭 拓跋 左丘 第五 梁丘 司空 亓官 公羊 谷梁 乐正 壤驷 巫马 漆雕".split()
)


class CoverParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    mask: Literal["*", "?", "X", "XX", "＊"] = "*"
    keep_prefix: int = Field(default=1, ge=0, le=64)
    keep_suffix: int = Field(default=0, ge=0, le=64)
    keep_surname: bool = False  # keep the (compound) surname instead of keep_prefix chars
    repeat: Literal["per_char", "once"] = "per_char"  # "once": the hidden part becomes one mask


class Cover:
    name: ClassVar[str] = "cover"
    Params: ClassVar[type[BaseModel]] = CoverParams

    def __init__(self, params: BaseModel, context: MaskContext) -> None:
        assert isinstance(params, CoverParams)
        self.p = params

    def _kept(self, text: str) -> tuple[int, int]:
        n = len(text)
        prefix = self.p.keep_prefix
        if self.p.keep_surname:
            prefix = 2 if text[:2] in COMPOUND_SURNAMES else 1
        suffix = max(min(self.p.keep_suffix, n - 1 - prefix), 0)
        prefix = max(min(prefix, n - 1 - suffix), 0)
        return prefix, suffix

    def mask_value(self, value: Any) -> str:
        text = str(value)
        prefix, suffix = self._kept(text)
        hidden = len(text) - prefix - suffix
        cover = self.p.mask * hidden if self.p.repeat == "per_char" else self.p.mask
        if hidden == 0:
            cover = ""
        return text[:prefix] + cover + text[len(text) - suffix :]

    def apply(self, column: pl.Series) -> pl.Series:
        return map_distinct_batch(as_text(column), self._cover, pl.String)

    def _cover(self, s: pl.Series) -> pl.Series:
        lengths = s.str.len_chars()
        shortest, longest = lengths.min(), lengths.max()
        if shortest is None or longest is None:
            return s
        if shortest == longest and not self.p.keep_surname:  # one length (phones, IDs)
            return self._cover_one_length(s, int(longest))  # type: ignore[arg-type]
        n = pl.col("v").str.len_chars().cast(pl.Int64)
        if self.p.keep_surname:
            first = pl.when(pl.col("v").str.slice(0, 2).is_in(list(COMPOUND_SURNAMES)))
            want = first.then(pl.lit(2)).otherwise(pl.lit(1))
        else:
            want = pl.lit(self.p.keep_prefix)
        suffix = pl.max_horizontal(pl.min_horizontal(self.p.keep_suffix, n - 1 - want), 0)
        prefix = pl.max_horizontal(pl.min_horizontal(want, n - 1 - suffix), 0)
        hidden = n - prefix - suffix
        if self.p.repeat == "per_char":
            cover = pl.lit(self.p.mask * int(longest)).str.slice(0, hidden * len(self.p.mask))  # type: ignore[arg-type, operator]
        else:
            cover = pl.when(hidden > 0).then(pl.lit(self.p.mask)).otherwise(pl.lit(""))
        out = pl.DataFrame({"v": s}).select(
            pl.concat_str(
                pl.col("v").str.slice(0, prefix), cover, pl.col("v").str.slice(n - suffix, suffix)
            )
        )
        return out.to_series().alias(s.name)

    def _cover_one_length(self, s: pl.Series, n: int) -> pl.Series:
        """Every value has ``n`` characters: what is kept and hidden is the same for all."""
        prefix, suffix = self._kept("x" * n)
        hidden = n - prefix - suffix
        cover = self.p.mask * hidden if self.p.repeat == "per_char" else self.p.mask
        cover = cover if hidden else ""
        fast = cover_rows(s, prefix, suffix, cover)  # ASCII values: as bytes
        if fast is not None:
            return fast
        parts = [s.str.slice(0, prefix), pl.Series([cover])]
        if suffix:
            parts.append(s.str.slice(n - suffix, suffix))
        return pl.select(pl.concat_str(parts)).to_series().alias(s.name)
