from __future__ import annotations

from medshield.detect.passport import PassportDetector


def test_needs_label_or_cue() -> None:
    values: list[str | None] = ["E12345678", "EA1234567", "C12345678", "E****5678"]
    assert PassportDetector().detect(values) == []
    found = PassportDetector().detect(values, label="护照号码")
    assert [(f.index, f.masked) for f in found] == [(0, False), (1, False), (2, False), (3, True)]
    assert all("12345678" not in f.evidence for f in found)


def test_cue_in_text() -> None:
    text = "外籍患者，护照号：G12345678，联系电话13800138000"
    [f] = PassportDetector().detect([text])
    assert text[f.start : f.end] == "G12345678"


def test_near_misses_under_label() -> None:
    values: list[str | None] = ["E1234567", "X12345678", "E123456789", "E********"]
    assert PassportDetector().detect(values, label="passport_no") == []
