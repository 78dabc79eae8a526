from __future__ import annotations

from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medshield.errors import UnknownNameError
from medshield.mask.operators import OPERATORS, apply_operator, build_operator, operator_registry
from medshield.mask.operators.base import MaskContext

CTX = MaskContext(keys={"k1": b"r" * 32}, active_key="k1", release_id="reg")
SAMPLES: dict[str, list[Any]] = {
    "keep": ["a", "张三"],
    "suppress": ["a", "张三"],
    "cover": ["张三", "13812345678"],
    "cut_address": ["重庆市渝中区解放碑街道民族路123号", "无"],
    "id_to_birth": ["11010519491231002X", "x"],
    "id_to_age": ["11010519491231002X", "x"],
    "id_to_age_band": ["11010519491231002X", "x"],
    "generalize": [12, 99],
    "dictionary": ["癌症", "未知"],
    "pseudonym": ["P1", "P2"],
    "random_id": ["P1", "P2"],
    "fpe": ["13812345678", "0231234"],
    "date_shift": ["2024-01-02", "2024-03-04 08:00"],
    "text_scrub": ["电话13800138000", "无"],
}


def test_every_builtin_is_registered_with_the_one_shape() -> None:
    registry = operator_registry()
    assert [cls.name for cls in OPERATORS] == registry.names()
    assert set(SAMPLES) == set(registry.names())
    for cls in OPERATORS:
        assert hasattr(cls, "Params") and callable(cls.apply) and callable(cls.mask_value)


def test_unknown_operator() -> None:
    with pytest.raises(UnknownNameError, match="unknown mask_operators 'blur'"):
        build_operator("blur", {}, CTX)


@settings(max_examples=25, deadline=None)
@given(
    name=st.sampled_from(sorted(SAMPLES)),
    pattern=st.lists(st.one_of(st.none(), st.integers(0, 1)), min_size=1, max_size=12),
)
def test_length_kept_and_nulls_stay_null(name: str, pattern: list[int | None]) -> None:
    op = build_operator(name, {}, CTX)
    values = [None if i is None else SAMPLES[name][i] for i in pattern]
    frame = pl.DataFrame({"c": pl.Series(values, strict=False)})
    out = apply_operator(op, frame, "c")
    assert out.len() == len(values)
    assert all(o is None for v, o in zip(values, out.to_list(), strict=True) if v is None)
