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
    first = f"500103{born:%Y%m%d}123"
    return first + check_digit(first)


def test_age_turns_on_the_birthday(
    ctx: MaskContext, vector_equals_scalar: Callable[..., Any]
) -> None:
    op = build_operator("id_to_age", {"reference": "2026-05-12"}, ctx)
    ids = [make_id(date(1980, 5, 12)), make_id(date(1980, 5, 13)), "bad", None]
    assert vector_equals_scalar(op, ids) == [46, 45, None, None]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    born=st.lists(st.dates(date(1900, 1, 1), date(2020, 12, 31)), min_size=1, max_size=20),
    ref=st.dates(date(2021, 1, 1), date(2030, 12, 31)),
)
def test_age_matches_calendar_arithmetic(
    ctx: MaskContext, vector_equals_scalar: Callable[..., Any], born: list[date], ref: date
) -> None:
    op = build_operator("id_to_age", {"reference": ref.isoformat()}, ctx)
    out = vector_equals_scalar(op, [make_id(b) for b in born])
    for b, age in zip(born, out, strict=True):
        assert b.replace(year=b.year + age) <= ref if not (b.month, b.day) == (2, 29) else True
        assert age >= 0
