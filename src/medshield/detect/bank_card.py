"""Bank card numbers: 16-19 digits, BIN prefix 62 (UnionPay), 4 (Visa) or 5 (Mastercard), and a
valid Luhn check digit; groups of four may be split by blanks or dashes.

An 18-digit number that is also a valid resident ID is left to the ID detector. Masked forms keep
the BIN and the last four (``6222 **** **** 1234``, ``622202******1234``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import ClassVar

from medshield.detect.base import BaseDetector, Finding
from medshield.detect.id_card import score_clean
from medshield.detect.scan import JoinedColumn, clamp, label_has

ELEMENT = "DE02.01.066.00"
PATTERN = re.compile(
    r"(?<![0-9A-Za-z_.*#-])(?:62|4|5)[0-9*#Xx]{2,3}(?:[ -]?[0-9*#Xx]{4}){2,3}[ -]?[0-9*#Xx]{0,4}"
    r"(?<![ -])(?![0-9A-Za-z_*#]|\.\d)"
)
LABELS = ("银行", "卡号", "bank", "card", "account", "账号")


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


class BankCardDetector(BaseDetector):
    name: ClassVar[str] = "bank_card"

    def detect(self, values: Sequence[str | None], *, label: str | None = None) -> list[Finding]:
        today = date.today()
        hinted = label_has(label, LABELS)
        found: list[Finding] = []
        for hit in JoinedColumn(values).hits(PATTERN):
            text = re.sub(r"[ -]", "", hit.match.group(0))
            if not 16 <= len(text) <= 19:
                continue
            covered = sum(1 for c in text if not c.isdigit())
            if covered:
                if covered < 4 or not text[-4:].isdigit():
                    continue
                confidence, evidence = 0.85, f"masked card, BIN {text[:2]}, {covered} covered"
            else:
                if not luhn_ok(text) or (len(text) == 18 and score_clean(text, today)):
                    continue
                confidence, evidence = 0.9, f"card number, Luhn ok, BIN {text[:2]}"
            confidence = clamp(confidence + (0.05 if hit.whole else 0) + (0.04 if hinted else 0))
            self.add(found, hit, ELEMENT, confidence, covered > 0, evidence)
        return found
