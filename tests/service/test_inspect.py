"""Response inspection: identifiers left in clear are found, masked ones and dates are not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medshield.errors import ResponseBlockedError
from medshield.service.inspect import (
    DIGIT_RUN,
    check_patient,
    check_schema,
    unmasked_identifiers,
)


@pytest.mark.parametrize(
    ("value", "found"),
    [
        ("电话13812345678", ["mobile"]),
        ("138 1234 5678", ["mobile"]),
        ("身份证11010519491231002X", ["cn_id"]),
        ("138****5678", []),
        ("110105********002X", []),
        ("2026-01-01 08:00:00", []),
        ("胸部CT", []),
    ],
)
def test_identifiers_in_clear(value: str, found: list[str]) -> None:
    assert unmasked_identifiers([{"remark": value, "n": 3}]) == found


def test_patient_and_schema_checks() -> None:
    rows = [{"id_no": "A", "x": 1}, {"id_no": "B", "x": 2}]
    check_patient(rows[:1], "id_no", "A")
    with pytest.raises(ResponseBlockedError):
        check_patient(rows, "id_no", "A")
    check_schema(rows, ["x"])
    with pytest.raises(ResponseBlockedError):
        check_schema(rows, ["x", "y"])


@given(st.lists(st.text(alphabet="0123456789 -\t\n:./X年a", max_size=40), max_size=6))
def test_the_joint_search_finds_what_a_search_per_value_finds(values: list[str]) -> None:
    records = [{f"f{i}": v for i, v in enumerate(values)}]
    each = [v for v in values if DIGIT_RUN.search(v)]
    assert bool(unmasked_identifiers(records)) <= bool(each)
    if each and any(v.isdigit() and len(v) == 11 and v.startswith("138") for v in each):
        assert unmasked_identifiers(records) == ["mobile"]
