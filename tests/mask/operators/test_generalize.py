from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medshield.mask.operators import build_operator
from medshield.mask.operators.base import MaskContext


def test_ages_to_bands(ctx: MaskContext, vector_equals_scalar: Callable[..., Any]) -> None:
    op = build_operator("generalize", {"kind": "number", "width": 10, "top": 90}, ctx)
    assert vector_equals_scalar(op, [3, 45, 49, 90, 104, None]) == [
        "0-9",
        "40-49",
        "40-49",
        "90+",
        "90+",
        None,
    ]


def test_dates_to_month_or_year(ctx: MaskContext, vector_equals_scalar: Callable[..., Any]) -> None:
    month = build_operator("generalize", {"kind": "date"}, ctx)
    year = build_operator("generalize", {"kind": "date", "unit": "year"}, ctx)
    assert vector_equals_scalar(month, [date(2021, 3, 9), None], pl.Date) == ["2021-03", None]
    assert vector_equals_scalar(year, [datetime(2021, 3, 9, 8, 30)], pl.Datetime) == ["2021"]
    assert vector_equals_scalar(year, ["2021-03-09", "不详"]) == ["2021", None]


def test_codes_to_prefix(ctx: MaskContext, vector_equals_scalar: Callable[..., Any]) -> None:
    icd = build_operator("generalize", {"kind": "code", "keep": 3}, ctx)
    post = build_operator("generalize", {"kind": "code", "keep": 3, "pad": "*"}, ctx)
    assert vector_equals_scalar(icd, ["E11.9", "I10", None]) == ["E11", "I10", None]
    assert vector_equals_scalar(post, ["400010"]) == ["400***"]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    values=st.lists(st.one_of(st.none(), st.integers(-1000, 10**6)), max_size=30),
    width=st.integers(1, 1000),
)
def test_number_bands_contain_the_value(
    ctx: MaskContext, vector_equals_scalar: Callable[..., Any], values: list[int | None], width: int
) -> None:
    op = build_operator("generalize", {"kind": "number", "width": width}, ctx)
    out = vector_equals_scalar(op, values, pl.Int64)
    for raw, band in zip(values, out, strict=True):
        if raw is None:
            assert band is None
            continue
        lo, hi = (
            (int(x) for x in band.rsplit("-", 1))
            if not band.startswith("-")
            else (int(band[: band.index("-", 1)]), int(band[band.index("-", 1) + 1 :]))
        )
        assert lo <= raw <= hi and hi - lo == width - 1


@pytest.mark.parametrize("pad", [None, "*", "＊"])
def test_codes_of_one_length_as_bytes_equal_the_scalar_path(
    ctx: MaskContext, vector_equals_scalar: Callable[..., Any], pad: str | None
) -> None:
    op = build_operator("generalize", {"kind": "code", "keep": 3, "pad": pad}, ctx)
    postcodes = [f"{400010 + i * 37}" for i in range(200)]
    out = vector_equals_scalar(op, [*postcodes, None])
    assert out[0] == "400" + (pad * 3 if pad else "")
