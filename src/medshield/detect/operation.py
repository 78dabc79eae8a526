"""Operation names: the shipped dictionary (ICD-9-CM-3 names) and, beyond it, Chinese text ending
in an operation suffix (``...切除术``, ``...置换术``) with confidence 0.6."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar

from medshield.detect.base import Finding
from medshield.detect.scan import JoinedColumn, clamp
from medshield.detect.term_detector import TermDetector
from medshield.detect.terms import Kind

SUFFIX = re.compile(
    r"[\u4e00-\u9fff]{2,14}?(?:切除|移植|置换|修补|成形|吻合|切开|引流|造口|造瘘|结扎|植入|搭桥|"
    r"消融|穿刺|探查|复位|固定|重建|缝合|矫正|修复|剥除|摘除|环切|介入|分流|刮除|取出|松解)术"
)


class OperationDetector(TermDetector):
    name: ClassVar[str] = "operation"
    kind: ClassVar[Kind] = "operation"
    element: ClassVar[str] = "DE06.00.094.00"
    labels: ClassVar[tuple[str, ...]] = ("手术", "operation", "surgery", "procedure", "ssmc")

    def beyond_dictionary(
        self, values: Sequence[str | None], seen: set[int], hinted: bool
    ) -> list[Finding]:
        found: list[Finding] = []
        column = JoinedColumn(values)
        if "术" not in column.text:
            return found
        for hit in column.hits(SUFFIX):
            if hit.index in seen:
                continue
            confidence = clamp(0.6 + (0.1 if hit.whole else 0) + (0.1 if hinted else 0))
            self.add(found, hit, self.element, confidence, False, "operation suffix")
        return found
