"""Reading the birth date out of a Chinese resident ID number (GB 11643): 18 digits with
YYYYMMDD at positions 7-14, or the legacy 15 digits with YYMMDD (19YY). Shared by
``id_to_birth``, ``id_to_age``, ``id_to_age_band`` and ``fpe``."""

from __future__ import annotations

import re
from datetime import date, datetime

import polars as pl

ID18 = r"^[0-9]{17}[0-9X]$"
ID15 = r"^[0-9]{15}$"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"


def check_digit(first17: str) -> str:
    """The GB 11643 check character of the first 17 digits."""
    return CHECK[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def birth_of(value: object) -> date | None:
    """The birth date in an ID number, or None when it holds no valid one."""
    text = str(value).strip().upper()
    if re.match(ID18, text):
        digits = text[6:14]
    elif re.match(ID15, text):
        digits = "19" + text[6:12]
    else:
        return None
    try:
        return datetime.strptime(digits, "%Y%m%d").date()
    except ValueError:
        return None


def birth_expr(column: pl.Expr) -> pl.Expr:
    """The Polars expression of ``birth_of`` (a Date, null when invalid)."""
    text = column.cast(pl.String).str.strip_chars().str.to_uppercase()
    digits = (
        pl.when(text.str.contains(ID18))
        .then(text.str.slice(6, 8))
        .when(text.str.contains(ID15))
        .then(pl.concat_str(pl.lit("19"), text.str.slice(6, 6)))
    )
    return digits.str.to_date("%Y%m%d", strict=False)


def age_at(birth: date, reference: date) -> int:
    return (
        reference.year - birth.year - ((reference.month, reference.day) < (birth.month, birth.day))
    )


def age_expr(birth: pl.Expr, reference: date) -> pl.Expr:
    before = (birth.dt.month().cast(pl.Int32) * 100 + birth.dt.day().cast(pl.Int32)) > (
        reference.month * 100 + reference.day
    )
    return reference.year - birth.dt.year().cast(pl.Int64) - before.cast(pl.Int64)
