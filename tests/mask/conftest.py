"""A key ring and mask context for operator tests, and the vectorised-equals-scalar check."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import polars as pl
import pytest

from medshield.mask.keys import KeyRing
from medshield.mask.operators.base import MaskContext


@pytest.fixture
def ring() -> KeyRing:
    ring = KeyRing()
    ring.rotate("k1")
    return ring


@pytest.fixture
def ctx(ring: KeyRing) -> MaskContext:
    return ring.context(release_id="r-test")


def _vector_equals_scalar(operator: Any, values: Sequence[Any], dtype: Any = None) -> list[Any]:
    """Apply ``operator`` to ``values`` both ways; assert both agree; return the masked list."""
    column = pl.Series("c", list(values), dtype=dtype, strict=False)
    vector = operator.apply(column)
    assert vector.len() == column.len()
    scalar = [None if v is None else operator.mask_value(v) for v in column.to_list()]
    assert vector.to_list() == scalar
    return scalar


@pytest.fixture
def vector_equals_scalar() -> Callable[..., list[Any]]:
    return _vector_equals_scalar
