from __future__ import annotations

from medshield.detect.diagnosis import DiagnosisDetector


def test_whole_text_and_masked() -> None:
    values: list[str | None] = ["急性阑尾炎", "因急性化脓性阑尾炎入院", "急性阑尾*", "霍乱"]
    found = DiagnosisDetector().detect(values)
    by_index = {f.index: f for f in found}
    assert set(by_index) == {0, 1, 2, 3}
    assert by_index[0].confidence > by_index[1].confidence
    assert by_index[2].masked and "K35" in by_index[2].evidence
    assert (
        values[1] is not None
        and values[1][by_index[1].start : by_index[1].end] == "急性化脓性阑尾炎"
    )


def test_non_diagnoses() -> None:
    assert DiagnosisDetector().detect(["张三", "内科", "13800138000", "*****"]) == []
