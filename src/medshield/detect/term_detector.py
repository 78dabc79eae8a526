"""The shared shape of the dictionary detectors (diagnosis, drug, operation).

A whole value that is a dictionary term scores 0.9; a term inside longer text 0.7 (terms shorter
than three characters are not looked for inside text: two-character herb and drug names are
common words). A whole value that is a term with some characters covered (``急性阑尾*``) is a
masked finding.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar

from medshield.detect.base import BaseDetector, Finding
from medshield.detect.scan import JoinedColumn, clamp, label_has
from medshield.detect.terms import Kind, Term, term_index

COVERED = re.compile(r"[*?#×]")


class TermDetector(BaseDetector):
    kind: ClassVar[Kind]
    element: ClassVar[str]
    labels: ClassVar[tuple[str, ...]]

    def describe(self, term: Term) -> str:
        return f"{self.kind} term" + (f", code {term.code}" if term.code else "")

    def detect(self, values: Sequence[str | None], *, label: str | None = None) -> list[Finding]:
        index = term_index()
        hinted = label_has(label, self.labels)
        found: list[Finding] = []
        seen: set[int] = set()
        column = JoinedColumn(values)
        for hit in index.scan(column, self.kind, min_len=3):
            confidence = clamp((0.9 if hit.whole else 0.7) + (0.05 if hinted else 0))
            seen.add(hit.index)
            self.add(found, hit, self.element, confidence, False, self.describe(hit.term))
        covered = {hit.index for hit in column.hits(COVERED)}
        for i in sorted(covered - seen):
            value = values[i]
            if value and len(value) <= 40:
                term = index.masked(value, self.kind)
                if term is not None and self.keep(0.8):
                    start = len(value) - len(value.lstrip())
                    found.append(
                        Finding(
                            self.name,
                            self.element,
                            i,
                            start,
                            start + len(value.strip()),
                            0.8,
                            True,
                            f"masked {self.describe(term)}",
                        )
                    )
        found.extend(self.beyond_dictionary(values, seen, hinted))
        return found

    def beyond_dictionary(
        self, values: Sequence[str | None], seen: set[int], hinted: bool
    ) -> list[Finding]:
        """Findings beyond the dictionary (none by default)."""
        return []
