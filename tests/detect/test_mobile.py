from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from medshield.detect.mobile import MobileDetector


def spans(values: list[str | None], label: str | None = None) -> list[tuple[int, str, bool]]:
    return [
        (f.index, (values[f.index] or "")[f.start : f.end], f.masked)
        for f in MobileDetector().detect(values, label=label)
    ]


def test_plain_and_prefixed_variants() -> None:
    values: list[str | None] = [
        "13800138000",
        "+86 138-0013-8000",
        "86 13912345678",
        "0086-15012345678",
        "199 1234 5678",
    ]
    assert [i for i, _, _ in spans(values)] == [0, 1, 2, 3, 4]
    assert spans(values)[1][1] == "+86 138-0013-8000"


def test_masked_forms() -> None:
    values: list[str | None] = ["138****5678", "138XXXX5678", "138 ???? 5678"]
    assert [(i, m) for i, _, m in spans(values)] == [(0, True), (1, True), (2, True)]


def test_near_misses_do_not_fire() -> None:
    values: list[str | None] = [
        "20231105123456",  # timestamp
        "13800138000123",  # order number
        "113800138000",  # 12 digits
        "12012345678",  # no such segment
        "14012345678",
        "13512345678.00",  # an amount
        "订单ORD13800138000",
    ]
    assert spans(values) == []


def test_amount_column_is_not_a_phone_column() -> None:
    values: list[str | None] = ["13512345678", "15000000000"]
    assert spans(values, label="total_amount") == []
    assert len(spans(values, label="联系电话")) == 2


def test_contact_label_gives_contact_element() -> None:
    [f] = MobileDetector().detect(["13800138000"], label="联系人电话")
    assert f.element == "DE02.01.010.02"


def test_inside_chinese_text() -> None:
    text = "患者张三，电话13800138000，次日复诊"
    assert spans([text]) == [(0, "13800138000", False)]


@given(
    st.sampled_from(["130", "139", "147", "150", "166", "177", "188", "199"]),
    st.integers(min_value=0, max_value=99_999_999),
)
def test_every_valid_mobile_found_and_evidence_redacted(head: str, rest: int) -> None:
    number = f"{head}{rest:08d}"
    [f] = MobileDetector().detect([number])
    assert not f.masked and number not in f.evidence


@given(
    st.sampled_from(["138", "150", "186", "199"]),
    st.integers(min_value=0, max_value=99_999_999),
    st.sampled_from(["****", "XXXX", "????", "####"]),
)
def test_covered_middle_is_masked_not_clean(head: str, rest: int, cover: str) -> None:
    number = f"{head}{rest:08d}"
    [f] = MobileDetector().detect([number[:3] + cover + number[7:]])
    assert f.masked
