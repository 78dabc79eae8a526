from __future__ import annotations

from medshield.detect.icd10_code import Icd10CodeDetector


def test_codes() -> None:
    values: list[str | None] = ["K35.902", "A01.0", "C34.1+", "诊断：J18.9 肺炎"]
    found = Icd10CodeDetector().detect(values)
    assert [f.index for f in found] == [0, 1, 2, 3]
    assert found[0].confidence > found[1].confidence  # in the dictionary vs category only


def test_bare_category_needs_label() -> None:
    assert Icd10CodeDetector().detect(["J18", "E11"]) == []
    assert len(Icd10CodeDetector().detect(["J18", "E11"], label="诊断编码")) == 2


def test_masked_and_near_misses() -> None:
    values: list[str | None] = ["K35.***", "维生素B12", "U99.9", "K35.800.1", "ABC12.3"]
    found = Icd10CodeDetector().detect(values)
    assert [(f.index, f.masked) for f in found] == [(0, True)]
