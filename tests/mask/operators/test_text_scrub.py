from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from medshield.mask.operators import build_operator
from medshield.mask.operators.base import MaskContext

NOTE = "患者电话13800138000，身份证11010519491231002X，诊断2型糖尿病，邮箱zhang@example.com。"


def test_identifiers_become_placeholders(
    ctx: MaskContext, vector_equals_scalar: Callable[..., Any]
) -> None:
    op = build_operator("text_scrub", {}, ctx)
    out = vector_equals_scalar(op, [NOTE, None, "无特殊"])
    assert out[1] is None and out[2] == "无特殊"
    assert "13800138000" not in out[0] and "11010519491231002X" not in out[0]
    assert "[电话]" in out[0] and "[身份证号]" in out[0] and "[邮箱]" in out[0]
    assert "2型糖尿病" in out[0]  # clinical terms stay


def test_custom_placeholders(ctx: MaskContext) -> None:
    op = build_operator("text_scrub", {"placeholders": {"mobile": "<PHONE>"}}, ctx)
    assert "<PHONE>" in op.mask_value(NOTE)


@settings(max_examples=30, deadline=None)
@given(
    before=st.text(alphabet="患者主诉反复咳嗽三天，既往体健。", max_size=12),
    after=st.text(alphabet="查体无殊建议复诊。", max_size=12),
    mobile=st.from_regex(r"1(3[0-9]|5[0-35-9]|8[0-9])[0-9]{8}", fullmatch=True),
)
def test_a_mobile_inside_text_never_survives(before: str, after: str, mobile: str) -> None:
    op = build_operator("text_scrub", {}, MaskContext())
    out = op.mask_value(f"{before}电话{mobile}，{after}")
    assert mobile not in out and "[电话]" in out


def test_an_address_without_a_cue_is_scrubbed(ctx: MaskContext) -> None:
    op = build_operator("text_scrub", {}, ctx)
    out = op.mask_value("患者张三，住重庆市渝中区解放碑街道民族路123号，电话13800138000。")
    assert out == "患者[姓名]，住[地址]，电话[电话]。"


def test_running_text_names_and_mistyped_ids_are_scrubbed_event_dates_stay() -> None:
    op = build_operator("text_scrub", {}, MaskContext())
    note = (
        "今天上午林晓燕陪同母亲复查，2023年5月6日曾行阑尾切除术，"
        "身份证110105194912310021，服用硝苯地平，由何志明主任接诊。"
    )
    out = op.mask_value(note)
    assert "林晓燕" not in out and "何志明" not in out and out.count("[姓名]") == 2
    assert "110105194912310021" not in out and "[身份证号]" in out  # wrong check character
    assert "2023年5月6日" in out and "硝苯地平" in out  # an event date and a drug stay
