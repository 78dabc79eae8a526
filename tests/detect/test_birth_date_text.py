"""Dates in clinical text are birth dates only with a cue or a matching age."""

from __future__ import annotations

from datetime import date

from medshield.detect import find_spans


def births(text: str) -> list[str]:
    return [text[f.start : f.end] for f in find_spans(text) if f.detector == "birth_date"]


def test_treatment_dates_are_not_birth_dates_even_when_spread() -> None:
    text = (
        "1998年3月2日行阑尾切除术，2005年7月1日诊断高血压，2012年5月6日复查，"
        "2019年9月9日再次入院，2023年1月3日出院。"
    )
    assert births(text) == []


def test_a_cue_makes_a_birth_date() -> None:
    assert births("患者1985年3月7日生，2023年1月3日入院。") == ["1985年3月7日"]
    assert births("出生日期：1962-05-03，就诊日期：2024-01-02") == ["1962-05-03"]
    assert births("生日 1990/1/2") == ["1990/1/2"]


def test_a_matching_age_makes_a_birth_date() -> None:
    text = "患者52岁，1971年4月5日，2023年6月1日入院。"
    assert births(text) == ["1971年4月5日"]  # 52 full years before the admission date
    year = date.today().year - 40
    assert births(f"年龄：40，{year}-01-01") == [f"{year}-01-01"]


def test_an_age_that_does_not_match_changes_nothing() -> None:
    assert births("患者30岁，2001年4月5日曾行手术，2023年6月1日入院。") == []


def test_masked_birth_dates_need_the_cue_in_text() -> None:
    text = "1985年**月**日生"
    [f] = [f for f in find_spans(text) if f.detector == "birth_date"]
    assert f.masked
    assert births("2023-**-** 复查") == []
