"""Landline numbers: area code and 7-8 digit local number (``023-68812345``, ``(010)62751234``,
``0755 2345678``, ``021-12345678转801``).

Three-digit area codes (010, 020-029) take 8 local digits, four-digit ones 7 or 8; a local number
never starts with 0 or 1. Without an area code a 7-8 digit number counts only in a column whose
label says it holds phone numbers. Masked forms: ``023-****2345``, ``023-6881****``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar

from medshield.detect.base import BaseDetector, Finding
from medshield.detect.scan import JoinedColumn, clamp, label_has

ELEMENT = "DE02.01.010.01"
AREA = r"0(?:10|2\d|[3-9]\d{2})"
COVER = "*?#Xx"
PATTERN = re.compile(
    rf"(?<![0-9A-Za-z_.*?#+])(?:\((?P<pa>{AREA})\)|(?P<a>{AREA}))[ -]?"
    r"(?P<local>[2-8*?#Xx][0-9*?#Xx]{6,7})"
    r"(?:(?:转|-|ext\.?)\d{1,5})?(?![0-9A-Za-z_*?#]|\.\d)"
)
BARE = re.compile(r"(?<![0-9A-Za-z_.*?#+-])[2-8]\d{6,7}(?![0-9A-Za-z_*?#-]|\.\d)")
LABELS = ("电话", "座机", "固话", "phone", "tel", "landline")
AMOUNTS = ("金额", "费用", "余额", "价格", "amount", "fee", "price", "cost", "balance", "total")


class LandlineDetector(BaseDetector):
    name: ClassVar[str] = "landline"

    def detect(self, values: Sequence[str | None], *, label: str | None = None) -> list[Finding]:
        if label_has(label, AMOUNTS):
            return []
        hinted = label_has(label, LABELS)
        column = JoinedColumn(values)
        found: list[Finding] = []
        for hit in column.hits(PATTERN):
            area = hit.match.group("pa") or hit.match.group("a")
            local = hit.match.group("local")
            if len(area) == 3 and len(local) != 8:
                continue
            covered = sum(1 for c in local if c in COVER)
            if 0 < covered < 3:
                continue
            confidence = 0.85 + (0.05 if hit.whole else 0) + (0.05 if hinted else 0)
            evidence = f"area code {area}" + (f", {covered} digits covered" if covered else "")
            self.add(found, hit, ELEMENT, clamp(confidence), covered > 0, evidence)
        if hinted:
            for hit in column.hits(BARE):
                if hit.whole:
                    self.add(
                        found,
                        hit,
                        ELEMENT,
                        0.6,
                        False,
                        "local number without area code, phone label",
                    )
        return found
