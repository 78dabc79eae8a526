from __future__ import annotations

from collections.abc import Callable
from typing import Any

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
