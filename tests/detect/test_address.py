from __future__ import annotations

from medshield.detect import find_spans
from medshield.detect.address import AddressDetector


def test_full_partial_and_street() -> None:
    values: list[str | None] = [
        "重庆市渝中区解放碑街道民族路188号3栋2单元501室",
        "四川省成都市武侯区人民南路四段12号",
        "北京市海淀区",
        "民族路188号",
    ]
    found = AddressDetector().detect(values)
    assert [(f.index, f.element) for f in found] == [
        (0, "DE02.01.009.00"),
        (1, "DE02.01.009.00"),
        (2, "DE02.01.009.03"),
        (3, "DE02.01.009.00"),
    ]
    assert "500103" in found[0].evidence and "民族路" not in found[0].evidence


def test_masked_cut_address() -> None:
    found = AddressDetector().detect(["重庆市渝中区****", "四川省成都市**区"])
    assert [f.masked for f in found] == [True, True]


def test_in_text_after_cue() -> None:
    text = "患者家住重庆市江北区观音桥街道建新北路66号，电话13800138000"
    [f] = AddressDetector().detect([text])
    assert text[f.start : f.end] == "重庆市江北区观音桥街道建新北路66号"


def test_not_addresses() -> None:
    assert AddressDetector().detect(["内科", "高血压", "张三", "2023年第3号通知", "3号楼"]) == []


def test_address_inside_text_without_a_cue() -> None:
    """患者住… has no 住址/地址 cue: an address still counts when it starts with a province or
    prefecture name and runs to a house number; a city named alone does not."""
    note = "患者张三，住重庆市渝中区解放碑街道民族路123号，电话13800138000。"
    spans = [(f.detector, note[f.start : f.end]) for f in find_spans(note)]
    assert ("address", "重庆市渝中区解放碑街道民族路123号") in spans
    home = "家在四川省成都市武侯区人民南路4段9号2栋301室，随访。"
    assert [home[f.start : f.end] for f in find_spans(home) if f.detector == "address"] == [
        "四川省成都市武侯区人民南路4段9号2栋301室"
    ]
    for plain in ("重庆市人民医院就诊，诊断高血压。", "于2023年在成都市就诊3次，服药2号方案"):
        assert not [f for f in find_spans(plain) if f.detector == "address"]


def test_address_inside_text_starting_at_the_county() -> None:
    """No cue, no province or city: a county-level name followed by street detail and a house
    number is still an address; a county named alone, or without a house number, is not."""
    note = "患者渝中区民族路123号2栋301室住户，电话13800138000。"
    spans = [note[f.start : f.end] for f in find_spans(note) if f.detector == "address"]
    assert spans == ["渝中区民族路123号2栋301室"]
    for plain in (
        "武侯区人民医院就诊3次。",
        "渝中区疾控中心通报，第2号文件",
        "转昆山市第一人民医院",
    ):
        assert not [f for f in find_spans(plain) if f.detector == "address"], plain


def test_text_scrub_replaces_a_county_first_address() -> None:
    from medshield.mask.operators import build_operator
    from medshield.mask.operators.base import MaskContext

    op = build_operator("text_scrub", {}, MaskContext())
    out = op.mask_value("随访：患者现居武侯区人民南路4段9号，恢复良好。")
    assert "人民南路" not in out and "[地址]" in out
