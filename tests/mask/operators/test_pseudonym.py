from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medshield.errors import MaskingError, PolicyError
from medshield.mask.keys import KeyRing
from medshield.mask.operators import build_operator
from medshield.mask.operators.base import MaskContext
from medshield.mask.operators.pseudonym import pseudonym_matches

FORMAT = re.compile(r"^k\d:P[A-Z2-7]{16}$")


def test_format_and_key_id_prefix(
    ctx: MaskContext, vector_equals_scalar: Callable[..., Any]
) -> None:
    op = build_operator("pseudonym", {}, ctx)
    out = vector_equals_scalar(op, ["500103198001011234", None, "张三"])
    assert out[1] is None
    assert all(FORMAT.match(v) for v in (out[0], out[2]))


def test_same_value_written_differently_gets_one_pseudonym(ctx: MaskContext) -> None:
    op = build_operator("pseudonym", {}, ctx)
    assert op.mask_value(" 11010519491231002x") == op.mask_value("11010519491231002X")


def test_rotation_keeps_old_pseudonyms_resolvable(ring: KeyRing) -> None:
    old = build_operator("pseudonym", {}, ring.context()).mask_value("P-0001")
    ring.rotate("k2")
    new = build_operator("pseudonym", {}, ring.context()).mask_value("P-0001")
    assert old.startswith("k1:") and new.startswith("k2:")
    assert pseudonym_matches("P-0001", old, ring.keys)
    assert pseudonym_matches("P-0001", new, ring.keys)
    assert not pseudonym_matches("P-0002", old, ring.keys)
    del ring.keys["k1"]
    assert not pseudonym_matches("P-0001", old, ring.keys)


def test_missing_key_fails_closed() -> None:
    with pytest.raises(MaskingError):
        build_operator("pseudonym", {}, MaskContext())


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(st.text(min_size=1, max_size=24), min_size=1, max_size=20))
def test_stable_per_key_and_different_across_keys(
    vector_equals_scalar: Callable[..., Any], values: list[str]
) -> None:
    one = MaskContext(keys={"a": b"1" * 32, "b": b"2" * 32}, active_key="a")
    two = MaskContext(keys={"a": b"1" * 32, "b": b"2" * 32}, active_key="b")
    first = vector_equals_scalar(build_operator("pseudonym", {}, one), values)
    again = vector_equals_scalar(build_operator("pseudonym", {}, one), values)
    other = vector_equals_scalar(build_operator("pseudonym", {}, two), values)
    assert first == again
    for raw, x, y in zip(values, first, other, strict=True):
        assert x[2:] != y[2:]
        assert raw.strip() not in x or len(raw.strip()) <= 1


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    values=st.lists(
        st.one_of(st.text(max_size=30), st.from_regex(r"\s*[0-9a-zA-Z]{1,20}\s*", fullmatch=True)),
        min_size=1,
        max_size=40,
    ),
    length=st.integers(min_value=8, max_value=26),
    algorithm=st.sampled_from(["hmac-sha256", "aes-cmac"]),
)
def test_vectorised_hash_equals_the_scalar_path(
    ctx: MaskContext, values: list[str], length: int, algorithm: str
) -> None:
    """Whole columns go through the vectorised keyed hash; every value must get exactly the
    pseudonym ``mask_value`` (and so dynamic masking) gives it, distinct or repeated."""
    op = build_operator("pseudonym", {"length": length, "algorithm": algorithm}, ctx)
    column = pl.Series("v", values + values[:3] + [None])
    expected = [op.mask_value(v) for v in values + values[:3]] + [None]
    assert op.apply(column).to_list() == expected


def test_algorithms_give_different_pseudonyms_and_lengths_are_checked(ctx: MaskContext) -> None:
    hmac_op = build_operator("pseudonym", {}, ctx)
    cmac_op = build_operator("pseudonym", {"algorithm": "aes-cmac"}, ctx)
    assert hmac_op.mask_value("P-0001") != cmac_op.mask_value("P-0001")
    assert FORMAT.match(cmac_op.mask_value("P-0001"))
    with pytest.raises(PolicyError, match="aes-cmac gives 26 characters"):
        build_operator("pseudonym", {"algorithm": "aes-cmac", "length": 30}, ctx)


def test_pseudonyms_never_look_like_a_phone_or_id_number(ctx: MaskContext) -> None:
    op = build_operator("pseudonym", {"length": 52}, ctx)
    out = op.apply(pl.Series([f"{i:018d}" for i in range(2000)]))
    assert not out.str.replace(r"^[^:]*:", "").str.contains(r"[0189]").any()
