from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medshield.errors import PolicyError
from medshield.mask.operators import build_operator
from medshield.mask.operators.base import MaskContext


def test_chinese_names_keep_the_surname(
    ctx: MaskContext, vector_equals_scalar: Callable[..., Any]
) -> None:
    op = build_operator("cover", {"keep_surname": True}, ctx)
    out = vector_equals_scalar(op, ["张三", "欧阳娜娜", "王小明", None, "司马光"])
    assert out == ["张*", "欧阳**", "王**", None, "司马*"]


def test_phone_keeps_prefix_and_suffix(ctx: MaskContext) -> None:
    op = build_operator("cover", {"keep_prefix": 3, "keep_suffix": 4}, ctx)
    assert op.mask_value("13812345678") == "138****5678"
    op = build_operator("cover", {"keep_prefix": 3, "keep_suffix": 4, "mask": "?"}, ctx)
    assert op.mask_value("13812345678") == "138????5678"


def test_xx_once_hides_the_length(
    ctx: MaskContext, vector_equals_scalar: Callable[..., Any]
) -> None:
    op = build_operator(
        "cover", {"keep_prefix": 3, "keep_suffix": 4, "mask": "XX", "repeat": "once"}, ctx
    )
    assert vector_equals_scalar(op, ["13812345678", "0231234567"]) == ["138XX5678", "023XX4567"]


def test_bad_mask_is_a_policy_error(ctx: MaskContext) -> None:
    with pytest.raises(PolicyError, match="mask"):
        build_operator("cover", {"mask": "#"}, ctx)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    values=st.lists(st.one_of(st.none(), st.text(min_size=0, max_size=20)), max_size=30),
    prefix=st.integers(0, 6),
    suffix=st.integers(0, 6),
    surname=st.booleans(),
    mask=st.sampled_from(["*", "?", "XX"]),
)
def test_cover_always_hides_something(
    vector_equals_scalar: Callable[..., Any],
    values: list[str | None],
    prefix: int,
    suffix: int,
    surname: bool,
    mask: str,
) -> None:
    op = build_operator(
        "cover",
        {"keep_prefix": prefix, "keep_suffix": suffix, "keep_surname": surname, "mask": mask},
        MaskContext(),
    )
    out = vector_equals_scalar(op, values, None)
    for raw, masked in zip(values, out, strict=True):
        if raw is None:
            assert masked is None
        elif raw:
            n = len(raw)
            shapes = {
                raw[:p] + mask * (n - p - s) + raw[n - s :] for p in range(n) for s in range(n - p)
            }
            assert masked in shapes  # some p + s < n: at least one character hidden


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    length=st.integers(1, 20),
    count=st.integers(1, 30),
    prefix=st.integers(0, 6),
    suffix=st.integers(0, 6),
    mask=st.sampled_from(["*", "?", "X", "XX", "＊"]),
    repeat=st.sampled_from(["per_char", "once"]),
    chinese=st.booleans(),
)
def test_values_of_one_length_as_bytes_equal_the_scalar_path(
    vector_equals_scalar: Callable[..., Any],
    length: int,
    count: int,
    prefix: int,
    suffix: int,
    mask: str,
    repeat: str,
    chinese: bool,
) -> None:
    """Columns of one length (phones, ID numbers) are covered as a byte matrix when ASCII,
    by expressions otherwise; both must give exactly what ``mask_value`` gives."""
    alphabet = "张王李赵" if chinese else "0123456789X"
    values = [
        "".join(alphabet[(i * 7 + j * 3) % len(alphabet)] for j in range(length))
        for i in range(count)
    ]
    params = {"keep_prefix": prefix, "keep_suffix": suffix, "mask": mask, "repeat": repeat}
    vector_equals_scalar(build_operator("cover", params, MaskContext()), [*values, None])
