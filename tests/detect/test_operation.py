from __future__ import annotations

from medshield.detect.operation import OperationDetector


def test_dictionary_and_suffix() -> None:
    values: list[str | None] = ["阑尾切除术", "行腹腔镜下左半结肠切除术", "胆囊切除术"]
    found = OperationDetector().detect(values)
    assert [f.index for f in found] == [0, 1, 2]
    assert "47.0" in found[0].evidence


def test_not_operations() -> None:
    assert OperationDetector().detect(["技术", "手术室", "急性阑尾炎", "学术会议"]) == []
