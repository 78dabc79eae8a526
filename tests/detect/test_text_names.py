"""Person names in running text without cues, and the medical vetoes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medshield.detect import find_spans
from medshield.detect.names import surnames
from medshield.detect.text_names import THRESHOLD, confidence_of, names_in


def names(text: str) -> list[str]:
    return [text[f.start : f.end] for f in find_spans(text) if f.detector == "person_name"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("张三医生查房，患者无不适。", ["张三"]),
        ("今天上午林晓燕带着母亲来医院复查，接诊的是心内科何志明主任。", ["林晓燕", "何志明"]),
        ("孙丽华今年45岁，家住南京。她的主治医生是周建华。", ["孙丽华", "周建华"]),
        ("张伟与妻子李静一起前来咨询。", ["张伟", "李静"]),
        ("吴建军反映其父亲吴德胜于上月在我院手术。", ["吴建军", "吴德胜"]),
        ("欧阳娜娜，女，32岁，因发热就诊。", ["欧阳娜娜"]),
        ("由骨科郭鹏医生接诊。", ["郭鹏"]),
    ],
)
def test_names_without_a_cue(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "患者高血压10年，服用硝苯地平，白术10克煎服。",
        "予黄连素口服，方法为每日三次，安静状态下心率80次/分。",
        "代谢异常，于清晨出现头痛，应加强随访。",
        "管床医生查房后，值班医生记录病程。",
        "高热伴咳嗽，双肺呼吸音粗，白细胞升高，给予阿莫西林。",
    ],
)
def test_medicine_is_not_a_name(text: str) -> None:
    assert names(text) == []


def test_a_strong_cue_overrides_the_veto() -> None:
    assert names("姓名：高峰，男") == ["高峰"]


def test_cue_followed_by_a_common_word_is_no_name() -> None:
    assert names("张三医生查房") == ["张三"]


def test_confidence_grows_with_the_score_and_with_a_cue() -> None:
    low, high = THRESHOLD - 14, THRESHOLD + 2
    assert confidence_of(low, False) < 0.5 < confidence_of(high, False) < confidence_of(high, True)
    assert confidence_of(100, True) <= 0.95


def test_spans_do_not_overlap_and_min_confidence_applies() -> None:
    text = "王小明和李华去医院"
    spans = names_in(text)
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:], strict=False))
    strict = find_spans(text, params={"person_name": {"min_confidence": 0.99}})
    assert [f for f in strict if f.detector == "person_name"] == []


@pytest.mark.parametrize("text", ["患者安静入睡。", "病人易患肿瘤。", "术后患者应平卧6小时。"])
def test_a_word_after_a_weak_cue_is_no_name(text: str) -> None:
    assert names(text) == []


def test_a_weak_cue_still_finds_a_name_that_ends_there() -> None:
    assert names("患者王小明，男，45岁。") == ["王小明"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("患者自述孙女龙浩然也有冠心病病史。", ["龙浩然"]),
        ("尊敬的院领导：我叫黄金凤，家住南岸区。", ["黄金凤"]),
        ("投诉人马少华反映：其妻子夜间呼叫无人应答。", ["马少华"]),
        ("其哥哥司马光明日来院。", ["司马光"]),
    ],
)
def test_cues_of_relations_and_of_who_writes(text: str, expected: list[str]) -> None:
    assert names(text) == expected


def test_a_name_ends_where_a_word_begins() -> None:
    assert names("今日李浩顺利出院，门诊随访。") == ["李浩"]


@pytest.mark.parametrize(
    "text",
    [
        "治疗过程中出现发热。",
        "严重时可合并肺炎。",
        "由于颅内压增高，患者头痛。",
        "多见于新生儿。",
        "第七章心功能衰竭",
        "增高提示高渗性脱水。",
        "心电图示电轴左偏。",
        "发病高峰为4～7岁。",
        "蛋白沉积于肾小球系膜。",
    ],
)
def test_a_surname_inside_a_word_is_no_name(text: str) -> None:
    assert names(text) == []


@given(st.text(alphabet="王李欧阳张于高左时小明华丽强之子医生患者的了，。 0123456789", max_size=40))
@settings(max_examples=200, deadline=None)
def test_name_spans_are_in_bounds_apart_and_start_with_a_surname(text: str) -> None:
    spans = names_in(text)
    table = surnames()
    assert all(0 <= s.start < s.end <= len(text) for s in spans)
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:], strict=False))
    assert all(table.split(text[s.start : s.end]) is not None for s in spans)
