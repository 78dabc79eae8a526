from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medshield.mask.operators import build_operator
from medshield.mask.operators.base import MaskContext
from medshield.mask.operators.idnumber import check_digit


def make_id(region: str, born: date, seq: int) -> str:
    first = f"{region}{born:%Y%m%d}{seq:03d}"
    return first + check_digit(first)


def test_birth_date_at_each_precision(
    ctx: MaskContext, vector_equals_scalar: Callable[..., Any]
) -> None:
    ids = ["11010519491231002X", "110105491231002", "500103198002301234", "not an id", None]
    day = build_operator("id_to_birth", {}, ctx)
    assert vector_equals_scalar(day, ids) == ["1949-12-31", "1949-12-31", None, None, None]
    year = build_operator("id_to_birth", {"precision": "year"}, ctx)
    assert vector_equals_scalar(year, ids[:1]) == ["1949"]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    born=st.lists(st.dates(date(1900, 1, 1), date(2025, 12, 31)), min_size=1, max_size=20),
    seq=st.integers(0, 999),
)
def test_every_valid_id_gives_its_birth_date(
    ctx: MaskContext, vector_equals_scalar: Callable[..., Any], born: list[date], seq: int
) -> None:
    ids = [make_id("500103", b, seq) for b in born]
    out = vector_equals_scalar(build_operator("id_to_birth", {}, ctx), ids)
    assert out == [b.isoformat() for b in born]
    assert all(o not in i for o, i in zip(out, ids, strict=True))


def test_lower_case_x_and_spaces(ctx: MaskContext) -> None:
    op = build_operator("id_to_birth", {"precision": "month"}, ctx)
    assert op.mask_value(" 11010519491231002x ") == "1949-12"
    assert (date(1949, 12, 31) + timedelta(days=1)).year == 1950
