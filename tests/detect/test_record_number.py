from __future__ import annotations

import pytest

from medshield.detect import build
from medshield.detect.record_number import RecordNumberDetector
from medshield.errors import PolicyError

PATTERNS = {
    "patterns": [
        {"kind": "inpatient", "pattern": r"ZY\d{8}", "institution": "H001"},
        {"kind": "outpatient", "pattern": r"MZ\d{10}"},
    ]
}


def test_policy_patterns() -> None:
    detector = build("record_number", PATTERNS)
    values: list[str | None] = ["ZY20230001", "MZ2023000001", "ZY2023000", "ZY20****01"]
    found = detector.detect(values)
    assert [(f.index, f.element, f.masked) for f in found] == [
        (0, "DE01.00.014.00", False),
        (1, "DE01.00.010.00", False),
        (3, "DE01.00.014.00", True),
    ]
    assert "H001" in found[0].evidence


def test_label_without_pattern() -> None:
    found = RecordNumberDetector().detect(["00123456", "A1234567", "abc"], label="病案号")
    assert [(f.index, f.element) for f in found] == [(0, "DE01.00.021.00"), (1, "DE01.00.021.00")]
    assert RecordNumberDetector().detect(["00123456"]) == []


def test_cue_in_text() -> None:
    text = "住院号：ZY20230001，病案号: 00123456"
    found = RecordNumberDetector().detect([text])
    assert [text[f.start : f.end] for f in found] == ["ZY20230001", "00123456"]


def test_bad_pattern_is_a_policy_error() -> None:
    with pytest.raises(PolicyError, match="record_number"):
        build("record_number", {"patterns": [{"kind": "inpatient", "pattern": "ZY(\\d"}]})
