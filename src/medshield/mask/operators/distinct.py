"""Per-distinct-value mapping for operators no Polars expression can express (dictionary
look-ups, address parsing, format-preserving encryption): the Python function runs once per
distinct value and the column is rewritten by a vectorised replace.

An operator may keep a ``Memo`` of what it computed: a value seen in an earlier batch (a
patient's address in each of their visits) is then looked up, not computed again, both in
static masking jobs and in dynamic masking, where operators live as long as their plan."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl


def as_text(column: pl.Series) -> pl.Series:
    """The column as strings (nulls stay null)."""
    if column.dtype == pl.String:
        return column
    return column.cast(pl.String)


MEMO_SIZE = 500_000  # values an operator remembers before it starts afresh
FEW_DISTINCT = 0.05  # share of distinct values below which masking goes by distinct value
MAX_DISTINCT = 50_000
MIN_HITS = 0.05  # share of a second batch already seen, else values do not come back


class Memo:
    """Value -> masked value of one operator, as a frame joined with each batch, bounded by
    ``MEMO_SIZE``."""

    def __init__(self) -> None:
        self.frame: pl.DataFrame | None = None  # columns v (value), m (masked), seen (True)
        self.batches = 0
        self.off = False  # values do not repeat across batches (one row a patient)

    def __len__(self) -> int:
        return 0 if self.frame is None else self.frame.height

    def map(
        self, column: pl.Series, fn: Callable[[Any], Any], dtype: pl.DataType | type[pl.DataType]
    ) -> pl.Series:
        values = column.to_frame("v")
        joined = self._join(values, dtype)
        missing = joined["seen"].is_null() & column.is_not_null()
        self.batches += 1
        present = int(column.is_not_null().sum())
        if self.batches == 2 and int(missing.sum()) > (1 - MIN_HITS) * present:
            self.off, self.frame = True, None
            return map_distinct(column, fn, dtype)
        if missing.any():
            fresh = column.filter(missing).unique()
            if len(self) + fresh.len() > MEMO_SIZE:  # start afresh with this batch's values
                self.frame, fresh = None, column.drop_nulls().unique()
            added = pl.DataFrame(
                {
                    "v": fresh,
                    "m": pl.Series([fn(v) for v in fresh.to_list()], dtype=dtype),
                    "seen": pl.Series([True] * fresh.len(), dtype=pl.Boolean),
                }
            )
            self.frame = added if self.frame is None else pl.concat([self.frame, added])
            joined = self._join(values, dtype)
        return joined["m"].alias(column.name)

    def _join(self, values: pl.DataFrame, dtype: pl.DataType | type[pl.DataType]) -> pl.DataFrame:
        if self.frame is None or self.frame["v"].dtype != values["v"].dtype:
            self.frame = None
            return values.with_columns(
                m=pl.lit(None, dtype=dtype), seen=pl.lit(None, dtype=pl.Boolean)
            )
        return values.join(self.frame, on="v", how="left", maintain_order="left")


def map_distinct(
    column: pl.Series,
    fn: Callable[[Any], Any],
    dtype: pl.DataType | type[pl.DataType],
    memo: Memo | None = None,
) -> pl.Series:
    """``fn`` over the distinct non-null values of ``column`` (looked up in ``memo`` first),
    then one vectorised replace."""
    if memo is not None and not memo.off:
        return memo.map(column, fn, dtype)
    distinct = column.drop_nulls().unique()
    if distinct.len() == 0:
        return pl.Series(column.name, [None] * column.len(), dtype=dtype)
    old = distinct.to_list()
    new = pl.Series([fn(v) for v in old], dtype=dtype)
    return remap(column, distinct, new)


def map_distinct_batch(
    column: pl.Series,
    fn: Callable[[pl.Series], pl.Series],
    dtype: pl.DataType | type[pl.DataType],
) -> pl.Series:
    """Like ``map_distinct`` for a vectorised ``fn`` taking many values at once. Finding the
    distinct values and mapping them back costs about as much per row as any operator here,
    so it is done only when the distinct values are few (a small table of them stays in the
    processor's cache): names, ages, diagnoses. Otherwise ``fn`` runs over every non-null
    value."""
    few = min(column.len() * FEW_DISTINCT, MAX_DISTINCT)
    if int(column.approx_n_unique()) > few:  # type: ignore[arg-type]
        values = column.drop_nulls()
        if values.len() == column.len():
            return fn(values).cast(dtype).alias(column.name)
        out = pl.Series(column.name, [None] * column.len(), dtype=dtype)
        return out.scatter(column.is_not_null().arg_true(), fn(values).cast(dtype))
    distinct = column.drop_nulls().unique()
    if distinct.len() == 0:
        return pl.Series(column.name, [None] * column.len(), dtype=dtype)
    return remap(column, distinct, fn(distinct).cast(dtype))


def remap(column: pl.Series, distinct: pl.Series, new: pl.Series) -> pl.Series:
    """``column`` with each of its ``distinct`` non-null values replaced by the ``new`` value at
    the same position (nulls stay null): by index for text (an Enum of the distinct values)
    and for integers of a narrow range, by hash otherwise."""
    if column.dtype == pl.String:
        codes = column.cast(pl.Enum(distinct)).to_physical()
        return new.gather(codes).alias(column.name)
    if column.dtype.is_integer():
        low, high = distinct.min(), distinct.max()
        if high - low < max(4 * distinct.len(), 1024):  # type: ignore[operator]
            table = pl.Series([None] * (high - low + 1), dtype=new.dtype)  # type: ignore[operator]
            table = table.scatter((distinct - low).to_numpy(), new)
            return table.gather(column - low).alias(column.name)
    return column.replace_strict(distinct, new, default=None, return_dtype=new.dtype).alias(
        column.name
    )
