from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medshield.mask.operators import build_operator
from medshield.mask.operators.base import MaskContext
from medshield.mask.operators.fpe import luhn_digit
from medshield.mask.operators.idnumber import ID18, check_digit

KEYS = {"a": b"a" * 32, "b": b"b" * 32}
digits = st.text(alphabet="0123456789", min_size=1, max_size=20)
formatted = st.text(alphabet="0123456789-  ()+X", min_size=1, max_size=24).filter(
    lambda s: any(c.isdigit() for c in s)
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(formatted, min_size=1, max_size=20), keep=st.integers(0, 4))
def test_format_kept_and_value_changed(
    vector_equals_scalar: Callable[..., Any], values: list[str], keep: int
) -> None:
    op = build_operator(
        "fpe", {"keep_prefix": keep, "checksum": "none"}, MaskContext(keys=KEYS, active_key="a")
    )
    out = vector_equals_scalar(op, values)
    for raw, new in zip(values, out, strict=True):
        assert len(new) == len(raw) and new != raw
        for a, b in zip(raw, new, strict=True):
            assert a.isdigit() == b.isdigit() and (a.isdigit() or a == b)


@given(values=st.lists(digits, min_size=2, max_size=30, unique=True))
def test_distinct_inputs_stay_distinct_and_keys_differ(values: list[str]) -> None:
    a = build_operator("fpe", {}, MaskContext(keys=KEYS, active_key="a"))
    b = build_operator("fpe", {}, MaskContext(keys=KEYS, active_key="b"))
    out_a = [a.mask_value(v) for v in values]
    assert len(set(out_a)) == len(values)
    assert out_a == [a.mask_value(v) for v in values]
    long_ones = [v for v in values if len(v) >= 8]
    assert all(a.mask_value(v) != b.mask_value(v) for v in long_ones)


@given(body=st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_id_numbers_keep_a_valid_checksum(body: str) -> None:
    op = build_operator("fpe", {"keep_prefix": 6}, MaskContext(keys=KEYS, active_key="a"))
    raw = body + check_digit(body)
    new = op.mask_value(raw)
    assert re.match(ID18, new) and new[:6] == raw[:6] and new != raw
    assert new[17] == check_digit(new[:17])


def test_bank_card_keeps_luhn() -> None:
    op = build_operator(
        "fpe", {"checksum": "luhn", "keep_prefix": 6}, MaskContext(keys=KEYS, active_key="a")
    )
    new = op.mask_value("6222 0212 3456 7890 128")
    digits_only = new.replace(" ", "")
    assert digits_only[-1] == luhn_digit(digits_only[:-1]) and new.count(" ") == 4


def test_text_without_digits_is_suppressed() -> None:
    op = build_operator("fpe", {}, MaskContext(keys=KEYS, active_key="a"))
    assert op.mask_value("张三") is None
