"""``text_scrub``: identifiers inside free clinical text replaced by placeholders:
患者张三，电话13800138000 -> 患者[姓名]，电话[电话]. Spans come from the detectors
(``medshield.detect.find_spans``); clinical terms (diagnoses, drugs, operations) stay."""

from __future__ import annotations

from typing import Any, ClassVar

import polars as pl
from pydantic import BaseModel, ConfigDict, Field

from medshield.mask.operators.base import MaskContext
from medshield.mask.operators.distinct import as_text, map_distinct

PLACEHOLDERS: dict[str, str] = {
    "cn_id": "[身份证号]",
    "mobile": "[电话]",
    "landline": "[电话]",
    "bank_card": "[银行卡号]",
    "email": "[邮箱]",
    "ip_address": "[IP地址]",
    "birth_date": "[出生日期]",
    "person_name": "[姓名]",
    "address": "[地址]",
    "record_number": "[病案号]",
}
CLINICAL = frozenset({"diagnosis", "drug", "operation", "icd10_code"})


class TextScrubParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    placeholders: dict[str, str] = Field(default_factory=dict)  # detector name -> placeholder
    other: str = "[标识]"  # placeholder of an identifier with no placeholder of its own


class TextScrub:
    name: ClassVar[str] = "text_scrub"
    Params: ClassVar[type[BaseModel]] = TextScrubParams

    def __init__(self, params: BaseModel, context: MaskContext) -> None:
        assert isinstance(params, TextScrubParams)
        self.placeholders = {**PLACEHOLDERS, **params.placeholders}
        self.other = params.other

    def mask_value(self, value: Any) -> str:
        from medshield.detect import find_spans

        text = str(value)
        pieces: list[str] = []
        last = 0
        for span in find_spans(text):
            if span.detector in CLINICAL or span.start < last:
                continue
            pieces.append(text[last : span.start])
            pieces.append(self.placeholders.get(span.detector, self.other))
            last = span.end
        pieces.append(text[last:])
        return "".join(pieces)

    def apply(self, column: pl.Series) -> pl.Series:
        return map_distinct(as_text(column), self.mask_value, pl.String)
