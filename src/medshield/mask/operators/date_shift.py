"""``date_shift``: dates moved by a per-patient number of days in [-N, -1] or [1, N].

The shift comes from a keyed hash of the patient key column, so one patient's dates all move
together and intervals between them survive. Without a patient key column every date of the
release moves by one shift. Dates may be Date, Datetime or text starting ``YYYY-MM-DD``.

Reads a second column: engines call it through ``apply_operator``, which passes a struct of
the date column and the key column (a struct row ``{date column: value, key column: key}`` in
``mask_value``).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any, ClassVar

import numpy as np
import polars as pl
from pydantic import BaseModel, ConfigDict, Field

from medshield.mask.operators.base import MaskContext
from medshield.mask.operators.distinct import as_text, map_distinct_batch
from medshield.mask.operators.keyed import Algorithm, KeyedHash, keyed_digests, normalised, ring_key

DATE_TEXT = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}"
MEMO_SIZE = 65536  # patients whose shift is remembered (dynamic masking sees few at a time)
SALT = "date_shift\x1f"  # the keyed hash of a patient's shift is apart from their pseudonym


class DateShiftParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    days: int = Field(default=30, ge=1, le=3650)
    key_column: str | None = None  # the patient key column of the same table
    key_id: str | None = None
    algorithm: Algorithm = "hmac-sha256"


class DateShift:
    name: ClassVar[str] = "date_shift"
    Params: ClassVar[type[BaseModel]] = DateShiftParams

    def __init__(self, params: BaseModel, context: MaskContext) -> None:
        assert isinstance(params, DateShiftParams)
        self.p = params
        _, secret = ring_key(context, params.key_id, self.name)
        self._hash = KeyedHash(secret, params.algorithm)
        self._memo: dict[str, int] = {}
        self.release_shift = self.shift_of(f"release:{context.release_id}")
        self.extra_columns: tuple[str, ...] = (params.key_column,) if params.key_column else ()

    def shift_of(self, key: Any) -> int:
        text = normalised(key)
        found = self._memo.get(text)
        if found is None:
            digest = self._hash.digest((SALT + text).encode("utf-8"))[:8]
            found = self._days(int.from_bytes(digest, "big") % (2 * self.p.days))
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            self._memo[text] = found
        return found

    def _days(self, r: Any) -> Any:
        """A draw in [0, 2N) -> a shift in [-N, -1] or [1, N] (ints or int64 arrays)."""
        return r - self.p.days + (r >= self.p.days)

    def shifts(self, keys: pl.Series) -> pl.Series:
        """``shift_of`` of every patient key of a String column without nulls, vectorised."""
        draws = keyed_digests(self._hash, keys, 8, SALT).view(">u8").ravel()
        reduced = (draws.astype(np.uint64) % np.uint64(2 * self.p.days)).astype(np.int64)
        return pl.Series(keys.name, self._days(reduced), dtype=pl.Int64)

    def _split(self, value: Any) -> tuple[Any, int]:
        if isinstance(value, dict) and self.p.key_column:
            items = list(value.values())
            key = value.get(self.p.key_column)
            return items[0], self.release_shift if key is None else self.shift_of(key)
        return value, self.release_shift

    def mask_value(self, value: Any) -> Any:
        raw, shift = self._split(value)
        if raw is None:
            return None
        if isinstance(raw, date | datetime):
            return raw + timedelta(days=shift)
        text = str(raw)
        if not re.match(DATE_TEXT, text):
            return None
        try:
            day = datetime.strptime(text[:10], "%Y-%m-%d").date()
        except ValueError:
            return None
        return (day + timedelta(days=shift)).isoformat() + text[10:]

    def apply(self, column: pl.Series) -> pl.Series:
        frame = column.struct.unnest() if column.dtype == pl.Struct else column.to_frame()
        dates = frame.to_series(0)
        if self.p.key_column and self.p.key_column in frame.columns:
            keys = as_text(frame[self.p.key_column])
            shift = map_distinct_batch(keys, self.shifts, pl.Int64).fill_null(self.release_shift)
        else:
            shift = pl.Series([self.release_shift] * len(frame), dtype=pl.Int64)
        work = pl.DataFrame({"v": dates, "s": shift})
        delta = pl.duration(days=pl.col("s"))
        if dates.dtype == pl.Date or isinstance(dates.dtype, pl.Datetime):
            expr = pl.col("v") + delta
        else:
            text = pl.col("v").cast(pl.String)
            day = text.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)
            ok = text.str.contains(DATE_TEXT) & day.is_not_null()
            moved = pl.concat_str((day + delta).dt.strftime("%Y-%m-%d"), text.str.slice(10))
            expr = pl.when(ok).then(moved)
        return work.select(expr).to_series().alias(column.name)
