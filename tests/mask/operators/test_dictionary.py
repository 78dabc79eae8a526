from __future__ import annotations

from collections.abc import Callable
from typing import Any

from medshield.mask.dictionary import starter_dictionary
from medshield.mask.operators import build_operator
from medshield.mask.operators.base import MaskContext


def test_terms_and_brands(ctx: MaskContext, vector_equals_scalar: Callable[..., Any]) -> None:
    terms = build_operator("dictionary", {"kind": "term"}, ctx)
    assert vector_equals_scalar(terms, ["癌症", "免疫性血小板减少症", "慢阻肺", None]) == [
        "CA",
        "ITP",
        "COPD",
        None,
    ]
    drugs = build_operator("dictionary", {"kind": "drug"}, ctx)
    assert vector_equals_scalar(drugs, ["思密达", "立普妥", " 波立维 "]) == [
        "蒙脱石散",
        "阿托伐他汀钙片",
        "硫酸氢氯吡格雷片",
    ]


def test_icd_terms_from_the_starter_dictionary(ctx: MaskContext) -> None:
    op = build_operator("dictionary", {}, ctx)
    assert op.mask_value("古典型霍乱") == "A00.051"


def test_unknown_terms_keep_suppress_or_flag(ctx: MaskContext) -> None:
    text = "一种未登记的罕见病名"
    assert starter_dictionary().lookup("term", text) is None
    assert build_operator("dictionary", {"unknown": "keep"}, ctx).mask_value(text) == text
    assert build_operator("dictionary", {"unknown": "suppress"}, ctx).mask_value(text) is None
    assert (
        build_operator("dictionary", {"unknown": "flag", "flag": "[?]"}, ctx).mask_value(text)
        == "[?]"
    )


def test_a_pinned_dictionary_from_the_context(ring: Any) -> None:
    changed = starter_dictionary().applied(1, [("term", "癌症", "C80"), ("drug", "思密达", "")])
    op = build_operator("dictionary", {"unknown": "suppress"}, ring.context(dictionary=changed))
    assert op.mask_value("癌症") == "C80"
    drug = build_operator(
        "dictionary", {"kind": "drug", "unknown": "suppress"}, ring.context(dictionary=changed)
    )
    assert drug.mask_value("思密达") is None


def test_longest_term_inside_a_text(
    ctx: MaskContext, vector_equals_scalar: Callable[..., Any]
) -> None:
    op = build_operator("dictionary", {"match": "longest"}, ctx)
    texts = ["2型糖尿病伴周围神经病变", "免疫性血小板减少症（复发）", "无", None]
    assert vector_equals_scalar(op, texts) == ["T2DM", "ITP", "[未收录]", None]
    exact = build_operator("dictionary", {}, ctx)
    assert exact.mask_value(texts[0]) == "[未收录]"  # exact match only by default
