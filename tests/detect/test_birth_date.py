from __future__ import annotations

from datetime import date, timedelta

from medshield.detect.birth_date import BirthDateDetector


def test_formats() -> None:
    values: list[str | None] = ["1985-03-07", "1985/3/7", "1985.03.07", "1985年3月7日"]
    found = BirthDateDetector().detect(values, label="出生日期")
    assert [f.index for f in found] == [0, 1, 2, 3]
    assert all(f.confidence >= 0.9 for f in found)
    assert "1985" not in found[0].evidence


def test_compact_form_needs_label() -> None:
    assert BirthDateDetector().detect(["19850307"]) == []
    assert len(BirthDateDetector().detect(["19850307"], label="birth_date")) == 1


def test_unlabelled_single_date_and_timestamps_are_not_birth_dates() -> None:
    assert BirthDateDetector().detect(["1985-03-07"]) == []
    assert BirthDateDetector().detect(["2023-11-05 12:34:56"]) == []
    [f] = BirthDateDetector().detect(["2023-11-05 12:34:56"], label="birth_time")
    assert f.confidence >= 0.9


def test_column_spread_like_births_counts_without_label() -> None:
    births = [f"{y}-0{m}-1{m}" for y, m in zip(range(1940, 2010, 7), range(1, 10), strict=False)]
    found = BirthDateDetector().detect(births)
    assert len(found) == len(births) and all(0.5 <= f.confidence < 0.9 for f in found)
    today = date.today()
    visits = [f"{today.year - 1}-0{m}-1{m}" for m in range(1, 10)]
    assert BirthDateDetector().detect(visits) == []


def test_cue_in_text() -> None:
    text = "患者男，1985年3月7日生，因腹痛入院；2023-11-05复诊"
    [f] = BirthDateDetector().detect([text])
    assert text[f.start : f.end] == "1985年3月7日" and f.confidence >= 0.85
    assert len(BirthDateDetector().detect(["出生日期：1985-03-07"])) == 1


def test_impossible_and_future_dates() -> None:
    tomorrow = date.today() + timedelta(days=1)
    values: list[str | None] = [
        "1985-13-01",
        "1985-02-30",
        f"{tomorrow:%Y-%m-%d}",
        "20231105123456",
    ]
    assert BirthDateDetector().detect(values, label="出生日期") == []


def test_masked() -> None:
    found = BirthDateDetector().detect(["1985-**-**", "1985年**月**日", "****-**-**"], label="dob")
    assert [(f.index, f.masked) for f in found] == [(0, True), (1, True)]
    assert [f.masked for f in BirthDateDetector().detect(["1985-**-**"])] == [True]
