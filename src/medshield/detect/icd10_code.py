"""ICD-10 diagnosis codes (``K35.800``, ``A01.0``, ``J18.9``, ``C34.1+``).

A code in the shipped dictionary scores 0.95; a dotted code whose three-character category is
known 0.8; a bare category (``J18``) counts only in a column labelled as holding diagnosis codes
(too many other things look like ``B12``). Masked forms cover the digits after the dot
(``K35.***``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import ClassVar

from medshield.detect.base import BaseDetector, Finding
from medshield.detect.scan import JoinedColumn, clamp, label_has
from medshield.detect.terms import term_index

ELEMENT = "DE05.01.024.00"
PATTERN = re.compile(
    r"(?<![0-9A-Za-z_.*-])(?P<cat>[A-Z]\d{2})(?:\.(?P<sub>[0-9*xX]{1,4}|[A-Z]\d{2}))?[+*†]?"
    r"(?![0-9A-Za-z_*-]|\.\d)"
)
LABELS = ("icd", "诊断", "diag", "疾病编码", "zdbm")


@cache
def known_codes() -> tuple[frozenset[str], frozenset[str]]:
    """(codes, three-character categories) of the shipped diagnosis dictionary."""
    codes = {
        t.code
        for group in term_index().by_text.values()
        for t in group
        if t.kind == "diagnosis" and re.fullmatch(r"[A-Z]\d{2}(\.\w+)?", t.code)
    }
    return frozenset(codes), frozenset(c[:3] for c in codes)


class Icd10CodeDetector(BaseDetector):
    name: ClassVar[str] = "icd10_code"

    def detect(self, values: Sequence[str | None], *, label: str | None = None) -> list[Finding]:
        codes, categories = known_codes()
        hinted = label_has(label, LABELS)
        found: list[Finding] = []
        for hit in JoinedColumn(values).hits(PATTERN):
            cat, sub = hit.match.group("cat"), hit.match.group("sub")
            if cat not in categories:
                continue
            masked = sub is not None and not sub.isdigit() and not sub[0].isalpha()
            if masked:
                if sum(1 for c in sub if c in "*xX") < len(sub):
                    continue
                confidence, evidence = 0.8, f"masked ICD-10 code, category {cat}"
            elif sub is None:
                if not hinted:
                    continue
                confidence, evidence = 0.7, f"ICD-10 category {cat}"
            elif f"{cat}.{sub}" in codes:
                confidence, evidence = 0.95, f"ICD-10 code {cat}.{sub} in dictionary"
            else:
                confidence, evidence = 0.8, f"ICD-10 category {cat} known"
            confidence = clamp(confidence + (0.04 if hinted else 0))
            self.add(found, hit, ELEMENT, confidence, masked, evidence)
        return found
