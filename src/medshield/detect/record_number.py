"""Medical record, outpatient, inpatient, health record and health card numbers.

Hospitals number differently, so the shapes come from the policy: ``Params.patterns`` lists, per
kind (and optionally per institution), a regular expression a whole number matches. A value that
matches one scores 0.85 (0.95 under a fitting label). Without a pattern a value counts when the
label names the kind (住院号, inpatient_no) and the value looks like a number (5-20 letters and
digits, at least 4 digits): 0.7. Inside text a number counts after its cue (``住院号：ZY2023001``).
Masked forms (``ZY20****01``, ``********``) under a pattern's length or a fitting label are masked
findings.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from functools import cached_property
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from medshield.detect.base import BaseDetector, DetectorParams, Finding
from medshield.detect.scan import JoinedColumn, clamp, label_has

RecordKind = Literal["medical_record", "outpatient", "inpatient", "health_record", "health_card"]
ELEMENTS: dict[str, str] = {
    "medical_record": "DE01.00.021.00",
    "outpatient": "DE01.00.010.00",
    "inpatient": "DE01.00.014.00",
    "health_record": "DE01.00.009.00",
    "health_card": "DE01.00.016.00",
}
# kind -> words of a label or a cue in text; checked in this order (住院病案号 is a record number)
WORDS: dict[str, tuple[str, ...]] = {
    "medical_record": ("病案号", "病历号", "medical_record", "mrn", "bah", "case_no"),
    "health_card": ("健康卡", "就诊卡", "health_card", "jkkh"),
    "health_record": ("健康档案", "档案号", "health_record", "jkda"),
    "inpatient": ("住院号", "住院流水", "inpatient", "admission_no", "zyh"),
    "outpatient": ("门诊号", "门急诊号", "挂号", "outpatient", "clinic_no", "mzh"),
}
TOKEN = re.compile(r"^[ \t]*(?P<id>[A-Za-z0-9*#-]{5,20})[ \t]*$", re.M)
CUE = re.compile(
    r"(?P<cue>病案号|病历号|住院号|门诊号|门急诊号|健康卡号|就诊卡号|健康档案号|档案号)[:：]?[ \t]?"
    r"(?P<id>[A-Za-z0-9*#-]{5,20})(?![A-Za-z0-9*#-])"
)


SERIAL = re.compile(r"(?P<prefix>[A-Za-z]{1,4})?[-_]?(?P<digits>\d{6,20})")
SERIAL_SHARE = 0.9  # of the values that must share one shape


class RecordPattern(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: RecordKind
    pattern: str = Field(description="regular expression a whole number matches, e.g. ZY\\d{8}")
    institution: str | None = None

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a regular expression: {exc}") from None
        return value


class RecordNumberParams(DetectorParams):
    patterns: tuple[RecordPattern, ...] = ()


def kind_of(text: str | None) -> str | None:
    for kind, words in WORDS.items():
        if label_has(text, words):
            return kind
    return None


def covered(token: str) -> int:
    return sum(1 for c in token if c in "*#")


class RecordNumberDetector(BaseDetector):
    name: ClassVar[str] = "record_number"
    Params: ClassVar[type[BaseModel]] = RecordNumberParams
    params: RecordNumberParams

    @cached_property
    def _compiled(self) -> list[tuple[RecordPattern, re.Pattern[str]]]:
        return [(p, re.compile(p.pattern)) for p in self.params.patterns]

    def _by_pattern(self, token: str) -> RecordPattern | None:
        for spec, rx in self._compiled:
            if rx.fullmatch(token):
                return spec
        return None

    def _masked_fits(self, token: str, kind: str | None) -> RecordPattern | None:
        """A pattern of ``kind`` (any kind when None) some number of this length matches."""
        for spec, _ in self._compiled:
            if kind in (None, spec.kind) and len(token) in _lengths(spec.pattern):
                return spec
        return None

    def detect(self, values: Sequence[str | None], *, label: str | None = None) -> list[Finding]:
        label_kind = kind_of(label)
        column = JoinedColumn(values)
        found: list[Finding] = []
        # whole values count only by a policy pattern or under a fitting label
        for hit in column.hits(TOKEN) if self._compiled or label_kind else ():
            result = self._score(hit.match.group("id"), label_kind)
            if result is not None:
                confidence, kind, masked, evidence = result
                self.add(
                    found, hit, ELEMENTS[kind], confidence, masked, evidence, span=hit.span("id")
                )
        for hit in column.hits(CUE):
            token, kind = hit.match.group("id"), kind_of(hit.match.group("cue")) or "medical_record"
            if sum(c.isdigit() for c in token) < 4 and not covered(token):
                continue
            masked = covered(token) >= 3
            self.add(
                found,
                hit,
                ELEMENTS[kind],
                0.85,
                masked,
                f"{kind} number after its cue",
                span=hit.span("id"),
            )
        return found

    def _score(self, token: str, label_kind: str | None) -> tuple[float, str, bool, str] | None:
        spec = self._by_pattern(token)
        if spec is not None:
            fits = label_kind in (None, spec.kind)
            where = f" of {spec.institution}" if spec.institution else ""
            return (
                clamp(0.85 + (0.1 if label_kind == spec.kind else 0)) if fits else 0.6,
                spec.kind,
                False,
                f"{spec.kind} pattern{where}",
            )
        if covered(token) >= 3:
            spec = self._masked_fits(token, label_kind)
            kind = spec.kind if spec else label_kind
            if kind is not None:
                return 0.8, kind, True, f"masked {kind} number"
            return None
        if label_kind is not None and sum(c.isdigit() for c in token) >= 4:
            return 0.7, label_kind, False, f"{label_kind} label, number-like value"
        return None


def serial_shape(values: Sequence[str]) -> str | None:
    """The shape record numbers give a whole column, or None: ``prefix ZY`` when nearly every
    value is one 1-4 letter prefix and 6-20 digits (ZY20230001), ``10 digits`` when nearly every
    value is a digit string of one width. Dates written as digits (20230101) and Unix times are no
    serials."""
    present = [v.strip() for v in values if v and v.strip()]
    shapes: Counter[tuple[str, int]] = Counter()
    for v in present:
        m = SERIAL.fullmatch(v)
        if m is not None:
            prefix = (m.group("prefix") or "").upper()
            shapes[(prefix, 0 if prefix else len(m.group("digits")))] += 1
    if not shapes:
        return None
    (prefix, width), count = shapes.most_common(1)[0]
    if count < SERIAL_SHARE * len(present):
        return None
    if prefix:
        return f"prefix {prefix}"
    if sum(_is_date(v) or _is_epoch(v) for v in present) * 2 > len(present):
        return None
    return f"{width} digits"


def _is_date(value: str) -> bool:
    try:
        datetime.strptime(value[:8], "%Y%m%d")  # noqa: DTZ007 - a shape test, no time zone
    except ValueError:
        return False
    return True


def _is_epoch(value: str) -> bool:
    """Seconds or milliseconds since 1970, between 2001 and 2033: a time, not a serial."""
    return len(value) in (10, 13) and value.startswith("1")


def _lengths(pattern: str) -> range:
    """Lengths a simple pattern (literals, ``\\d{n}``, ``[..]{m,n}``) can match; wide when unsure."""
    low = high = 0
    for m in re.finditer(r"(\\.|\[[^\]]*\]|[^\\[{])(?:\{(\d+)(?:,(\d+))?\})?", pattern):
        if m.group(1) in ("^", "$"):
            continue
        a = int(m.group(2) or 1)
        low, high = low + a, high + int(m.group(3) or a)
    return range(low, high + 1) if low else range(5, 21)
