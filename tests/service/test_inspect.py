"""Response inspection: identifiers left in clear are found, masked ones and dates are not."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medshield.errors import ResponseBlockedError
from medshield.service.inspect import (
    CJK_FIRST_BYTES,
    DIGIT_RUN,
    _may_hold_run,
    check_patient,
    check_schema,
    unmasked_identifiers,
)
from medshield.service.sources import SourceRows


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
    rows = SourceRows(("id_no", "x"), [("A", 1), ("B", 2)])
    check_patient(SourceRows(rows.columns, rows.rows[:1]), "id_no", "A")
    with pytest.raises(ResponseBlockedError, match="another patient"):
        check_patient(rows, "id_no", "A")
    with pytest.raises(ResponseBlockedError, match="another patient"):
        check_patient(rows, "patient", "A")  # no patient column: blocked
    check_patient(SourceRows(("x",), []), "id_no", "A")  # no rows: nothing to check
    check_schema(rows, ["x"])
    with pytest.raises(ResponseBlockedError, match="field 'y'"):
        check_schema(rows, ["x", "y"])


def test_a_proxy_record_without_a_field_blocks_the_response() -> None:
    """Records of a proxy may each have other fields: one without a released field blocks."""
    rows = SourceRows.of_records([{"id_no": "A", "x": 1}, {"id_no": "A"}])
    assert not rows.complete and rows.records() == [{"id_no": "A", "x": 1}, {"id_no": "A"}]
    check_schema(rows, ["id_no"])
    with pytest.raises(ResponseBlockedError, match="field 'x'"):
        check_schema(rows, ["id_no", "x"])
    assert SourceRows.of_records([{"a": 1}, {"a": 2}]).complete


@given(st.lists(st.text(alphabet="0123456789 -\t\n:./X年a", max_size=40), max_size=6))
def test_the_joint_search_finds_what_a_search_per_value_finds(values: list[str]) -> None:
    records = [{f"f{i}": v for i, v in enumerate(values)}]
    each = [v for v in values if DIGIT_RUN.search(v)]
    assert bool(unmasked_identifiers(records)) <= bool(each)
    if each and any(v.isdigit() and len(v) == 11 and v.startswith("138") for v in each):
        assert unmasked_identifiers(records) == ["mobile"]


# Digits and separators of every kind the regular expressions know, and what stands between them;
# none that JSON escapes (a JSON escape sends the records to the full search: tested below).
_DIGITS = "0123456789０１９٣٤۵߁१\U0001d7ce"
_SEPARATORS = " -\xa0\u3000\u2003\u1680"
_OTHERS = "X年号，。、（）°×μ'a:./\ud7ff"
_TEXT = st.text(alphabet=st.sampled_from(_DIGITS + _SEPARATORS + _OTHERS), max_size=12)


@st.composite
def _digit_runs(draw: st.DrawFn) -> str:
    """Some text, eleven or more digits of any kind with single separators between some, text."""
    digits = draw(st.lists(st.sampled_from(_DIGITS), min_size=11, max_size=18))
    run = "".join(d + draw(st.sampled_from(["", "", *_SEPARATORS])) for d in digits)
    return draw(_TEXT) + run.rstrip(_SEPARATORS) + draw(_TEXT)


_VALUES = st.one_of(
    _TEXT, _digit_runs(), st.integers(), st.floats(), st.none(), st.just(date(2026, 1, 2)),
    st.just(Decimal("1.5")),
)  # fmt: skip


@settings(max_examples=300)
@given(st.lists(st.dictionaries(st.sampled_from(["a", "b", "备注"]), _VALUES), max_size=4))
def test_the_byte_prefilter_never_misses_a_digit_run(records: list[dict[str, object]]) -> None:
    """A record set is passed over unread only when no text value holds a DIGIT_RUN."""
    texts = [v for r in records for v in r.values() if isinstance(v, str)]
    if any(DIGIT_RUN.search(v) for v in texts):
        assert _may_hold_run(records)


def test_cjk_ideographs_are_neither_digits_nor_separators() -> None:
    """The prefilter reads a character whose first UTF-8 byte is E4-E9 as neither."""
    first, last = CJK_FIRST_BYTES[0] << 12 & 0xF000, (CJK_FIRST_BYTES[-1] << 12 | 0xFFF) & 0xFFFF
    assert (first, last) == (0x4000, 0x9FFF)
    assert not any(re.match(r"[\d\s-]", chr(c)) for c in range(first, last + 1))


def test_the_prefilter_passes_dates_and_catches_runs_across_kinds_of_digits() -> None:
    dates = [{"t": f"2026-01-{d:02d} 08:00:00", "n": 1.5, "名": "尿素"} for d in range(1, 29)]
    assert not _may_hold_run(dates)
    assert _may_hold_run([{"t": "１３８ １２３４ ５６７８"}])
    assert _may_hold_run([{"t": "138\t1234\t5678"}])  # an escape in the JSON: read in full
    assert unmasked_identifiers([{"t": "电话13812345678"}, *dates]) == ["mobile"]
