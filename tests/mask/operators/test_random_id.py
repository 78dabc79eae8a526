from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medshield.mask.operators import build_operator
from medshield.mask.operators.base import MaskContext


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(st.one_of(st.none(), st.text(min_size=1, max_size=12)), max_size=40))
def test_equal_inside_a_release_unique_across_values(
    vector_equals_scalar: Callable[..., Any], values: list[str | None]
) -> None:
    op = build_operator("random_id", {}, MaskContext(release_id="rel-a"))
    out = vector_equals_scalar(op, values)
    pairs = {(str(v).strip().upper(), o) for v, o in zip(values, out, strict=True) if v is not None}
    assert len({p[0] for p in pairs}) == len(pairs) == len({p[1] for p in pairs})
    assert all((o is None) == (v is None) for v, o in zip(values, out, strict=True))


def test_no_linkage_across_releases() -> None:
    one = build_operator("random_id", {}, MaskContext(release_id="rel-1"))
    two = build_operator("random_id", {}, MaskContext(release_id="rel-2"))
    again = build_operator("random_id", {}, MaskContext(release_id="rel-1"))
    values = [f"50010319800101{i:04d}" for i in range(50)]
    first = [one.mask_value(v) for v in values]
    assert first == [again.mask_value(v) for v in values]  # joins inside one release work
    assert not set(first) & {two.mask_value(v) for v in values}
