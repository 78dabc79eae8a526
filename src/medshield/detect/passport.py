"""Passports and travel permits: Chinese passports (``E12345678``, ``EA1234567``, ``G12345678``),
permits for Hong Kong and Macao (``C12345678``, ``CA1234567``) and for Taiwan residents'
mainland travel (``12345678``, 8 digits).

Shapes this short collide with order numbers, so a value counts only under a label (护照,
passport, 通行证) or after a cue in text (``护照号：E12345678``). Masked forms keep the first
letter and the last digits (``E****5678``). Element: ID document number, whose type is the
separate 身份证件类别代码.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar

from medshield.detect.base import BaseDetector, Finding
from medshield.detect.scan import JoinedColumn, clamp, label_has

ELEMENT = "DE02.01.030.00"
SHAPE = r"(?:[EGDSPCH][0-9*]{8}|[EC][A-HJ-NP-Z][0-9*]{7}|[0-9]{8})"
WHOLE = re.compile(rf"^[ \t]*(?P<doc>{SHAPE})[ \t]*$", re.M)
CUED = re.compile(
    rf"(?:护照|通行证|台胞证|回乡证)(?:号码|号)?[:：]?[ \t]?(?P<doc>{SHAPE})(?![0-9A-Za-z*])"
)
LABELS = ("护照", "passport", "通行证", "台胞证", "回乡证", "hzh", "permit")


class PassportDetector(BaseDetector):
    name: ClassVar[str] = "passport"

    def detect(self, values: Sequence[str | None], *, label: str | None = None) -> list[Finding]:
        column = JoinedColumn(values)
        found: list[Finding] = []
        patterns = ((WHOLE, 0.85), (CUED, 0.9)) if label_has(label, LABELS) else ((CUED, 0.9),)
        seen: set[tuple[int, int]] = set()
        for pattern, base in patterns:
            for hit in column.hits(pattern):
                s = hit.match.start("doc")
                doc = hit.match.group("doc")
                covered = doc.count("*")
                if (hit.index, s) in seen or 0 < covered < 3 or covered >= len(doc) - 1:
                    continue
                seen.add((hit.index, s))
                confidence = clamp(base)
                kind = "permit" if doc[0] in "CH" or doc.isdigit() else "passport"
                evidence = f"{'masked ' if covered else ''}{kind} number, {len(doc)} characters"
                self.add(
                    found, hit, ELEMENT, confidence, covered > 0, evidence, span=hit.span("doc")
                )
        return found
