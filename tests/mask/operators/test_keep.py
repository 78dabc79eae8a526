from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from medshield.errors import PolicyError
from medshield.mask.operators import build_operator
from medshield.mask.operators.base import MaskContext


def test_keep_returns_the_column(
    ctx: MaskContext, vector_equals_scalar: Callable[..., Any]
) -> None:
    op = build_operator("keep", {}, ctx)
    assert vector_equals_scalar(op, ["张三", None, "x"]) == ["张三", None, "x"]


def test_keep_takes_no_params(ctx: MaskContext) -> None:
    with pytest.raises(PolicyError, match="bad params for 'keep'"):
        build_operator("keep", {"anything": 1}, ctx)
