from __future__ import annotations

from medshield.detect import detect_all
from medshield.detect.person_name import PersonNameDetector


def names(values: list[str | None], label: str | None = None) -> list[str]:
    return [
        (values[f.index] or "")[f.start : f.end]
        for f in PersonNameDetector().detect(values, label=label)
    ]


def test_names_including_compound_surnames() -> None:
    assert names(["张三", "李四", "王小明", "欧阳娜娜", "司马相如"]) == [
        "张三",
        "李四",
        "王小明",
        "欧阳娜娜",
        "司马相如",
    ]


def test_words_departments_diagnoses_places_rejected() -> None:
    values: list[str | None] = [
        "内科",
        "心内科",
        "高血压",
        "方法",
        "白细胞",
        "黄山",
        "金额",
        "王大锤子",
        "张",
    ]
    assert names(values) == []


def test_label_raises_confidence() -> None:
    [plain] = PersonNameDetector().detect(["张三"])
    [labelled] = PersonNameDetector().detect(["张三"], label="患者姓名")
    assert labelled.confidence > plain.confidence


def test_masked() -> None:
    found = PersonNameDetector().detect(["张*", "张**", "欧阳*娜", "张X明", "***"])
    assert [(f.index, f.masked) for f in found] == [(0, True), (1, True), (2, True), (3, True)]


def test_in_text_after_cue() -> None:
    assert names(["患者张三，男，45岁", "姓名：王小明 性别：男", "今天方法正确"]) == [
        "张三",
        "王小明",
    ]


def test_contact_element() -> None:
    [f] = PersonNameDetector().detect(["李四"], label="联系人姓名")
    assert f.element == "DE02.01.039.01"


def test_common_words_need_a_name_label() -> None:
    values: list[str | None] = ["高兴", "周一", "黄昏"]
    assert names(values) == []
    assert names(values, label="患者姓名") == ["高兴", "周一", "黄昏"]


def test_values_repeated_like_categories_are_not_names_without_a_label() -> None:
    """全自费 (fully self-paid) parses as surname 全 + 自费; in an insurance-type column it fills 5%
    of the rows, which people's names never do. Under a name label the same values still count."""
    column = (
        ["全自费"] * 23 + ["公费医疗"] * 8 + ["城乡居民基本医疗保险"] * 180 + ["商业保险"] * 160
    )
    assert not [
        f for f in detect_all(column, label="insurance_type") if f.detector == "person_name"
    ]
    names = ["张三", "李四", "王小明"] * 30
    assert len([f for f in detect_all(names, label="xm") if f.detector == "person_name"]) == 90
    spread = ["张三", "李四", "王小明"] + [f"门诊{i}" for i in range(100)]
    assert len([f for f in detect_all(spread, label="remark") if f.detector == "person_name"]) == 3
