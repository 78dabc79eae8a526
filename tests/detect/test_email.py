from __future__ import annotations

from medshield.detect.email import EmailDetector


def test_plain_masked_and_in_text() -> None:
    values: list[str | None] = ["zhang.san@163.com", "z***@163.com", "请发至 li@pku.edu.cn 谢谢"]
    found = EmailDetector().detect(values)
    assert [(f.index, f.masked) for f in found] == [(0, False), (1, True), (2, False)]
    assert values[2] is not None and values[2][found[2].start : found[2].end] == "li@pku.edu.cn"
    assert all("zhang" not in f.evidence for f in found)


def test_not_addresses() -> None:
    assert EmailDetector().detect(["a@b", "@163.com", "user@localhost", "张三@"]) == []
