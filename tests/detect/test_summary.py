from __future__ import annotations

from medshield.detect import detect_all, find_spans, summarise


def test_rates_count_values_not_findings() -> None:
    values = ["13800138000 13900139000", "138****5678", None, "无"]
    rows = summarise(detect_all(values, ["mobile"]), n_values=3)
    [row] = rows
    assert row.hits == 2
    assert row.hit_rate == round(2 / 3, 4)
    assert row.masked_rate == 0.5


def test_find_spans_orders_and_keeps_no_overlap() -> None:
    text = "电话13800138000，身份证11010519491231002X"
    found = find_spans(text)
    assert [f.detector for f in found] == ["mobile", "cn_id"]
    assert all(a.end <= b.start for a, b in zip(found, found[1:], strict=False))
