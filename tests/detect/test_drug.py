from __future__ import annotations

from medshield.detect.drug import DrugDetector


def test_generic_and_brand() -> None:
    values: list[str | None] = ["蒙脱石散", "思密达", "予头孢他啶静滴", "盐酸二甲双胍片"]
    found = DrugDetector().detect(values)
    assert [f.index for f in found] == [0, 1, 2, 3]
    assert "蒙脱石散" in found[1].evidence  # the brand's generic name


def test_ascii_glued_terms_and_plain_words() -> None:
    assert DrugDetector().detect(["维生素B12x", "张三", "急性阑尾炎"]) == []
