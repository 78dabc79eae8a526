"""Columns whose values are all ASCII of one length (phone numbers, ID numbers, postcodes,
keyed digests) handled as a byte matrix: one row a value, straight from the Arrow buffers."""

from __future__ import annotations

import numpy as np
import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]


def ascii_rows(values: pl.Series) -> np.ndarray | None:
    """The values of a String column without nulls as an ``(n, width)`` byte matrix, or None
    unless every value is ASCII and of the same length."""
    if values.len() == 0 or values.null_count():
        return None
    chars, size = values.str.len_chars(), values.str.len_bytes()
    width = size.max()
    if not width or width != size.min() or width != chars.max() or width != chars.min():
        return None
    array = values.to_arrow().cast(pa.large_string())
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int64)[array.offset :]
    start = int(offsets[0])
    data = np.frombuffer(array.buffers()[2] or b"", dtype=np.uint8)
    rows: np.ndarray = data[start : start + len(array) * int(width)]  # type: ignore[arg-type]
    return rows.reshape(len(array), int(width))  # type: ignore[arg-type]


def from_rows(name: str, rows: np.ndarray) -> pl.Series:
    """A String series whose values are the rows of a byte matrix (valid UTF-8)."""
    n, width = rows.shape
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int64)
    array = pa.Array.from_buffers(
        pa.large_string(),
        n,
        [None, pa.py_buffer(offsets), pa.py_buffer(np.ascontiguousarray(rows))],
    )
    return pl.Series(name, array)


def cover_rows(values: pl.Series, prefix: int, suffix: int, cover: str) -> pl.Series | None:
    """Each value's first ``prefix`` and last ``suffix`` characters around ``cover``, when
    every value is ASCII of one length (else None); ``prefix + suffix`` must not exceed it."""
    rows = ascii_rows(values)
    if rows is None:
        return None
    width = rows.shape[1]
    middle = np.frombuffer(cover.encode("utf-8"), dtype=np.uint8)
    out = np.empty((len(rows), prefix + len(middle) + suffix), dtype=np.uint8)
    out[:, :prefix] = rows[:, :prefix]
    out[:, prefix : prefix + len(middle)] = middle
    out[:, prefix + len(middle) :] = rows[:, width - suffix :]
    return from_rows(values.name, out)
