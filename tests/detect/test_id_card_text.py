"""ID-shaped numbers in free text: a wrong check character still identifies (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from medshield.detect import find_spans
from medshield.detect.id_card import CHECK, ChineseIdDetector, check_char
from medshield.elements.divisions import divisions

COUNTIES = sorted(d.code for d in divisions().counties_of("") if d.code[2:] != "0000")
births = st.dates(min_value=date(1920, 1, 1), max_value=date.today() - timedelta(days=1))


def _ids(found: list, text: str) -> list[tuple[str, float]]:
    return [(text[f.start : f.end], f.confidence) for f in found if f.detector == "cn_id"]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(COUNTIES), births, st.integers(0, 999), st.integers(1, 10))
def test_mistyped_check_character_is_masked_in_text(
    region: str, born: date, serial: int, shift: int
) -> None:
    first17 = f"{region}{born:%Y%m%d}{serial:03d}"
    wrong = CHECK[(CHECK.index(check_char(first17)) + shift) % 11]
    number = first17 + wrong
    text = f"患者身份证号{number}，已核对"
    assert _ids(find_spans(text), text) == [(number, 0.6)]
    # a column still wants the right check character: below the default threshold there
    assert ChineseIdDetector().detect([number]) == []


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(COUNTIES), births, st.integers(0, 999))
def test_valid_and_legacy_ids_in_text(region: str, born: date, serial: int) -> None:
    first17 = f"{region}{born:%Y%m%d}{serial:03d}"
    valid = first17 + check_char(first17)
    text = f"身份证{valid}，电话13800138000"
    assert _ids(find_spans(text), text) == [(valid, 0.97)]
    if born.year < 2000:
        legacy = f"{region}{born:%y%m%d}{serial:03d}"
        text = f"旧身份证{legacy}。"
        assert [t for t, _ in _ids(find_spans(text), text)] == [legacy]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(COUNTIES), st.integers(0, 99999999), st.integers(0, 9999))
def test_impossible_birth_dates_are_not_ids(region: str, middle: int, tail: int) -> None:
    digits = f"{middle:08d}"
    try:
        date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        real = (
            int(digits[:4]) >= 1900
            and date(int(digits[:4]), int(digits[4:6]), int(digits[6:])) <= date.today()
        )
    except ValueError:
        real = False
    number = f"{region}{digits}{tail:04d}"
    text = f"编号{number}"
    assert bool(_ids(find_spans(text), text)) == real


def test_unknown_region_of_a_known_province_scores_lower() -> None:
    first17 = "119999" + "19850307" + "123"
    number = first17 + check_char(first17)
    text = f"证件号{number}"
    [(found, confidence)] = _ids(find_spans(text), text)
    assert found == number and confidence == 0.7
    assert _ids(find_spans("证件号" + "999999" + "19850307" + "1234"), "") == []
