from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from medshield.detect import detect_all
from medshield.detect.id_card import ChineseIdDetector, check_char


def make_id(region: str, born: date, seq: int) -> str:
    first17 = f"{region}{born:%Y%m%d}{seq:03d}"
    return first17 + check_char(first17)


def test_known_checksum() -> None:
    # the GB 11643 worked example
    assert check_char("11010519491231002") == "X"


def test_valid_id_found_with_region_in_evidence() -> None:
    value = make_id("500103", date(1985, 3, 7), 1)
    [f] = ChineseIdDetector().detect([value])
    assert (f.element, f.start, f.end, f.masked) == ("DE02.01.030.00", 0, 18, False)
    assert f.confidence > 0.9
    assert "500103" in f.evidence and value not in f.evidence


def test_bad_checksum_dropped_by_default_and_low_when_asked() -> None:
    good = make_id("310104", date(1990, 1, 1), 12)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    assert ChineseIdDetector().detect([bad]) == []
    low = ChineseIdDetector(ChineseIdDetector.Params(min_confidence=0.2)).detect([bad])
    assert len(low) == 1 and low[0].confidence < 0.5 and "mismatch" in low[0].evidence


def test_future_birth_and_unknown_province_rejected() -> None:
    future = make_id("110105", date.today() + timedelta(days=2), 1)
    unknown_province = make_id("990105", date(1980, 1, 1), 1)
    assert ChineseIdDetector().detect([future, unknown_province]) == []


def test_legacy_15_digit() -> None:
    [f] = ChineseIdDetector().detect(["320106850307123"])
    assert "15-digit" in f.evidence


def test_masked_forms() -> None:
    values = ["110105********002X", "1101**********1234", "500103********001#"]
    found = ChineseIdDetector().detect(values)
    assert [f.index for f in found] == [0, 1, 2]
    assert all(f.masked for f in found)


def test_near_misses() -> None:
    values = ["20231105123456", "123456789012345678", "1101051949123100211", "订单号110105"]
    assert ChineseIdDetector().detect(values) == []


def test_inside_text_span() -> None:
    value = make_id("440305", date(2001, 12, 31), 7)
    text = f"患者身份证{value}，已核实"
    [f] = detect_all([text], ["cn_id"])
    assert text[f.start : f.end] == value


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date.today()),
    st.integers(min_value=0, max_value=999),
    st.sampled_from(["110105", "500103", "650102", "820000"]),
)
def test_every_generated_id_is_found(born: date, seq: int, region: str) -> None:
    value = make_id(region, born, seq)
    found = ChineseIdDetector().detect([None, value])
    assert [(f.index, f.masked) for f in found] == [(1, False)]


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date.today()),
    st.integers(min_value=0, max_value=999),
    st.sampled_from("*X?#"),
    st.integers(min_value=4, max_value=8),
)
def test_covered_birth_date_is_masked_not_clean(born: date, seq: int, cover: str, n: int) -> None:
    value = make_id("110105", born, seq)
    covered = value[:6] + cover * n + value[6 + n :]
    [f] = ChineseIdDetector().detect([covered])
    assert f.masked
