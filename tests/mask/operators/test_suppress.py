from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medshield.mask.operators import build_operator
from medshield.mask.operators.base import MaskContext


def test_blank_keeps_the_dtype(ctx: MaskContext) -> None:
    import polars as pl

    out = build_operator("suppress", {}, ctx).apply(pl.Series("x", [1, 2, None]))
    assert out.dtype == pl.Int64 and out.null_count() == 3 and out.name == "x"


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(st.one_of(st.none(), st.text(max_size=10)), max_size=20))
def test_placeholder_replaces_every_value_and_nulls_stay_null(
    ctx: MaskContext, vector_equals_scalar: Callable[..., Any], values: list[str | None]
) -> None:
    op = build_operator("suppress", {"replacement": "[已屏蔽]"}, ctx)
    out = vector_equals_scalar(op, values)
    assert out == [None if v is None else "[已屏蔽]" for v in values]
