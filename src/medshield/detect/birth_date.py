"""Birth dates in many formats: ``1985-03-07``, ``1985/3/7``, ``1985.03.07``, ``19850307``,
``1985年3月7日``.

The date must be real, from 1900 on and not in the future. Any such date is a date; it counts as
a birth date with confidence 0.9 when the label says so (出生, birth, dob), 0.55 otherwise; the
bare eight-digit form counts only with such a label, and a date followed by a time (an event
timestamp) scores 0.35 without one. Masked forms: ``1985-**-**``,
``1985年**月**日``, ``****-03-07``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import ClassVar

from medshield.detect.base import BaseDetector, Finding
from medshield.detect.scan import JoinedColumn, clamp, label_has

ELEMENT = "DE02.01.005.01"
YEAR = r"(?P<y>(?:19|20)\d\d|\*{4})"
PATTERN = re.compile(
    r"(?<![0-9A-Za-z_*.:/-])"
    r"(?:"
    rf"{YEAR}(?P<sep>[-/.])(?P<m>[01]?\d|\*{{1,2}})(?P=sep)(?P<d>[0-3]?\d|\*{{1,2}})"
    r"|(?P<y2>(?:19|20)\d\d|\*{4})年(?P<m2>[01]?\d|\*{1,2})月(?P<d2>[0-3]?\d|\*{1,2})日?"
    r"|(?P<y3>(?:19|20)\d\d)(?P<m3>[01]\d)(?P<d3>[0-3]\d)"
    r")"
    r"(?![0-9A-Za-z_*]|[.:/-]\d)"
)
TIME = re.compile(r"[ T]\d{1,2}:\d{2}")  # a timestamp records an event, not a birth
LABELS = ("出生", "生日", "birth", "dob", "born", "csrq")


class BirthDateDetector(BaseDetector):
    name: ClassVar[str] = "birth_date"

    def detect(self, values: Sequence[str | None], *, label: str | None = None) -> list[Finding]:
        today = date.today()
        hinted = label_has(label, LABELS)
        found: list[Finding] = []
        for hit in JoinedColumn(values).hits(PATTERN):
            g = hit.match.groupdict()
            bare = g["y3"] is not None
            if bare and not hinted:
                continue
            y, m, d = (
                (g["y"] or g["y2"] or g["y3"]),
                (g["m"] or g["m2"] or g["m3"]),
                (g["d"] or g["d2"] or g["d3"]),
            )
            masked = "*" in y + m + d
            if masked:
                if y.startswith("*") and m.startswith("*"):
                    continue  # nothing left that says "date"
                evidence = "masked date"
            else:
                try:
                    when = date(int(y), int(m), int(d))
                except ValueError:
                    continue
                if when > today:
                    continue
                evidence = f"date in {when.year // 10 * 10}s"
            value = values[hit.index] or ""
            timed = TIME.match(value, hit.end) is not None
            confidence = (0.9 if hinted else 0.35 if timed else 0.55) + (0.05 if hit.whole else 0)
            if self.keep(clamp(confidence)):
                found.append(
                    Finding(
                        self.name,
                        ELEMENT,
                        hit.index,
                        hit.start,
                        hit.end,
                        clamp(confidence),
                        masked,
                        evidence,
                    )
                )
        return found
