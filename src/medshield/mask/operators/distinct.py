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
