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


def test_unlabelled_dates_are_weak_and_timestamps_weaker() -> None:
    [plain] = BirthDateDetector().detect(["1985-03-07"])
    assert plain.confidence < 0.9
    assert BirthDateDetector().detect(["2023-11-05 12:34:56"]) == []


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
