from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medshield.mask.operators import build_operator
from medshield.mask.operators.base import MaskContext
from medshield.mask.operators.idnumber import check_digit


def make_id(born: date) -> str:
    first = f"110105{born:%Y%m%d}002"
    return first + check_digit(first)


def test_bands_and_top(ctx: MaskContext, vector_equals_scalar: Callable[..., Any]) -> None:
    op = build_operator("id_to_age_band", {"reference": "2026-01-01"}, ctx)
    ids = [make_id(date(1980, 6, 1)), make_id(date(1930, 1, 1)), make_id(date(2020, 1, 1)), None]
    assert vector_equals_scalar(op, ids) == ["40-49", "90+", "0-9", None]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    born=st.lists(st.dates(date(1900, 1, 1), date(2020, 12, 31)), min_size=1, max_size=20),
    width=st.sampled_from([5, 10, 20]),
)
def test_band_holds_the_age(
    ctx: MaskContext, vector_equals_scalar: Callable[..., Any], born: list[date], width: int
) -> None:
    ref = date(2026, 1, 1)
    band = build_operator(
        "id_to_age_band", {"reference": ref.isoformat(), "width": width, "top": None}, ctx
    )
    age = build_operator("id_to_age", {"reference": ref.isoformat()}, ctx)
    ids = [make_id(b) for b in born]
    for text, years in zip(
        vector_equals_scalar(band, ids), vector_equals_scalar(age, ids), strict=True
    ):
        lo, hi = (int(x) for x in text.split("-"))
        assert lo <= years <= hi and hi - lo == width - 1 and lo % width == 0
