"""Per-distinct-value mapping for operators no Polars expression can express (keyed hashes,
dictionary look-ups, address parsing): the Python function runs once per distinct value and
the column is rewritten by a vectorised replace."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl


def as_text(column: pl.Series) -> pl.Series:
    """The column as strings (nulls stay null)."""
    if column.dtype == pl.String:
        return column
    return column.cast(pl.String)


def map_distinct(
    column: pl.Series, fn: Callable[[Any], Any], dtype: pl.DataType | type[pl.DataType]
) -> pl.Series:
    """``fn`` over the distinct non-null values of ``column``, then one vectorised replace."""
    distinct = column.drop_nulls().unique()
    if distinct.len() == 0:
        return pl.Series(column.name, [None] * column.len(), dtype=dtype)
    old = distinct.to_list()
    new = pl.Series([fn(v) for v in old], dtype=dtype)
    return column.replace_strict(distinct, new, default=None, return_dtype=dtype).alias(column.name)


def map_distinct_batch(
    column: pl.Series,
    fn: Callable[[pl.Series], pl.Series],
    dtype: pl.DataType | type[pl.DataType],
) -> pl.Series:
    """Like ``map_distinct`` for a vectorised ``fn`` taking many values at once. When most
    values are distinct, finding the distinct ones costs more than it saves: ``fn`` then runs
    over every non-null value."""
    if int(column.approx_n_unique()) * 2 > column.len():  # type: ignore[arg-type]
        values = column.drop_nulls()
        if values.len() == column.len():
            return fn(values).cast(dtype).alias(column.name)
        out = pl.Series(column.name, [None] * column.len(), dtype=dtype)
        return out.scatter(column.is_not_null().arg_true(), fn(values).cast(dtype))
    distinct = column.drop_nulls().unique()
    if distinct.len() == 0:
        return pl.Series(column.name, [None] * column.len(), dtype=dtype)
    new = fn(distinct).cast(dtype)
    return column.replace_strict(distinct, new, default=None, return_dtype=dtype).alias(column.name)
