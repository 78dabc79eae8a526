"""Mainland mobile numbers: 11 digits in current 1[3-9]x segments, with +86 / 86 / 0086 and
blanks or dashes (``138 0013 8000``, ``+86-138-0013-8000``).

Masked forms (``138****5678``, ``138XXXX5678``, ``138 ???? 5678``) are reported with
``masked=True``. Longer digit runs (order numbers, timestamps such as ``13800138000123``) and
decimal amounts do not match; in a column whose label says it holds amounts nothing is reported.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar

from medshield.detect.base import BaseDetector, Finding
from medshield.detect.scan import JoinedColumn, clamp, label_has

ELEMENT = "DE02.01.010.00"
CONTACT_ELEMENT = "DE02.01.010.02"
SEGMENT = r"1(?:3\d|4[5-9]|5[0-35-9]|6[2567]|7[0-8]|8\d|9[0-35-9])"
PATTERN = re.compile(
    r"(?<![0-9A-Za-z_.*?#+])(?:(?:\+|00)?86[ -]?)?"
    rf"(?P<head>{SEGMENT})[ -]?(?P<mid>[0-9*?#Xx]{{4}})[ -]?(?P<tail>[0-9*?#Xx]{{4}})"
    r"(?![0-9A-Za-z_*?#]|\.\d)"
)
LABELS = ("手机", "电话", "联系方式", "mobile", "phone", "tel", "cell")
CONTACT = ("联系人", "家属", "紧急", "contact", "guardian", "emergency")
AMOUNTS = (
    "金额",
    "费用",
    "余额",
    "价格",
    "单价",
    "amount",
    "fee",
    "price",
    "cost",
    "balance",
    "money",
    "total",
)


class MobileDetector(BaseDetector):
    name: ClassVar[str] = "mobile"

    def detect(self, values: Sequence[str | None], *, label: str | None = None) -> list[Finding]:
        if label_has(label, AMOUNTS):
            return []
        hinted = label_has(label, LABELS)
        element = CONTACT_ELEMENT if label_has(label, CONTACT) else ELEMENT
        found: list[Finding] = []
        for hit in JoinedColumn(values).hits(PATTERN):
            mid, tail = hit.match.group("mid"), hit.match.group("tail")
            covered = sum(1 for c in mid + tail if not c.isdigit())
            if covered and covered < 3:
                continue  # a stray letter, not a covering
            if covered:
                confidence, evidence = 0.9, f"masked mobile, {covered} of 11 digits covered"
            else:
                confidence, evidence = 0.9, f"mobile segment {hit.match.group('head')}"
            confidence = clamp(confidence + (0.05 if hit.whole else 0) + (0.04 if hinted else 0))
            self.add(found, hit, element, confidence, bool(covered), evidence)
        return found
