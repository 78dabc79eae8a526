"""Birth dates in many formats: ``1985-03-07``, ``1985/3/7``, ``1985.03.07``, ``19850307``,
``1985年3月7日``.

The date must be real, from 1900 on and not in the future. Any such date is a date; whether it is
a *birth* date comes from the context:

- the label says so (出生, birth, dob): 0.9;
- in text, a cue next to it (``出生于1985年3月7日``, ``1985年3月7日生``): 0.85;
- the column's dates spread like birth dates (at least five dates over 15 years or more, median
  at least ten years back): 0.7;
- otherwise 0.4, below the default threshold: a visit or admission date is not reported.

The bare eight-digit form counts only under a birth label; a date followed by a time (an event
timestamp) never counts without one.

In free text (``find_in_text``) a date is a birth date only with a cue (出生, 生于, 出生日期, 生日,
``...生``: 0.85) or when an age in the same text matches it (``52岁`` and a date 52 years before
today or before another date of the text: 0.8). Every other date in clinical text is an event date
(admission, operation, visit): the policy may shift it, but it is not an identifier, whatever the
spread of the text's dates. Masked forms (``1985-**-**``, ``1985年**月**日``,
``****-03-07``) score 0.6, 0.9 under a birth label.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from statistics import median
from typing import ClassVar

from medshield.detect.base import BaseDetector, Finding
from medshield.detect.scan import NORMAL, Hit, JoinedColumn, clamp, label_has

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
CUE_BEFORE = re.compile(r"(?:出生|生日|生于|出生日期|出生年月)[:： ]?$")
CUE_AFTER = re.compile(r"(?:出生|生)(?![产活病])")
LABELS = ("出生", "生日", "birth", "dob", "born", "csrq")
AGE = re.compile(r"(?:年龄[:：]?\s*(?P<a>\d{1,3})|(?P<b>\d{1,3})\s*(?:周岁|岁))")


def parse(hit: Hit) -> tuple[date | None, bool] | None:
    """(the date, masked) of a match; None when it is no date."""
    g = hit.match.groupdict()
    y, m, d = (
        (g["y"] or g["y2"] or g["y3"]),
        (g["m"] or g["m2"] or g["m3"]),
        (g["d"] or g["d2"] or g["d3"]),
    )
    if "*" in y + m + d:
        return None if y.startswith("*") and m.startswith("*") else (None, True)
    try:
        return date(int(y), int(m), int(d)), False
    except ValueError:
        return None


def spread_like_births(years: list[int], today: date) -> bool:
    return len(years) >= 5 and max(years) - min(years) >= 15 and median(years) <= today.year - 10


def age_matches(born: date, events: Sequence[date], ages: set[int]) -> bool:
    """Some age of the text is the whole years from ``born`` to one of the ``events`` (a year
    more allowed: ages are often counted by calendar year)."""
    for event in events:
        if event <= born:
            continue
        years = event.year - born.year - ((event.month, event.day) < (born.month, born.day))
        if years in ages or years + 1 in ages:
            return True
    return False


class BirthDateDetector(BaseDetector):
    name: ClassVar[str] = "birth_date"

    def find_in_text(self, text: str) -> list[Finding]:
        today = date.today()
        dated = self._dates([text], hinted=False, today=today)
        ages = {int(m.group("a") or m.group("b")) for m in AGE.finditer(text.translate(NORMAL))}
        events = [today, *(w for _, w, _, _, _ in dated if w is not None)]
        found: list[Finding] = []
        for hit, when, masked, _, cued in dated:
            if cued:
                confidence, evidence = 0.85, "birth cue"
            elif when is not None and ages and age_matches(when, events, ages):
                confidence, evidence = 0.8, "age in the text matches"
            else:
                continue
            period = "masked date" if when is None else f"date in {when.year // 10 * 10}s"
            self.add(found, hit, ELEMENT, confidence, masked, f"{period}, {evidence}")
        return found

    def _dates(
        self, values: Sequence[str | None], *, hinted: bool, today: date
    ) -> list[tuple[Hit, date | None, bool, bool, bool]]:
        """(hit, date, masked, followed by a time, next to a birth cue) of every date."""
        dated: list[tuple[Hit, date | None, bool, bool, bool]] = []
        for hit in JoinedColumn(values).hits(PATTERN):
            parsed = parse(hit)
            if parsed is None or (hit.match.group("y3") and not hinted):
                continue
            when, masked = parsed
            if when is not None and when > today:
                continue
            value = values[hit.index] or ""
            timed = TIME.match(value, hit.end) is not None
            cued = CUE_BEFORE.search(value[max(0, hit.start - 6) : hit.start]) is not None or (
                CUE_AFTER.match(value, hit.end) is not None
            )
            dated.append((hit, when, masked, timed, cued))
        return dated

    def detect(self, values: Sequence[str | None], *, label: str | None = None) -> list[Finding]:
        today = date.today()
        hinted = label_has(label, LABELS)
        dated = self._dates(values, hinted=hinted, today=today)
        spread = spread_like_births([w.year for _, w, _, _, _ in dated if w is not None], today)
        found: list[Finding] = []
        for hit, when, masked, timed, cued in dated:
            if hinted:
                confidence = 0.9
            elif cued:
                confidence = 0.85
            elif timed:
                continue
            elif masked:
                confidence = 0.6
            else:
                confidence = 0.7 if spread else 0.4
            confidence = clamp(confidence + (0.05 if hit.whole else 0))
            evidence = "masked date" if when is None else f"date in {when.year // 10 * 10}s"
            self.add(found, hit, ELEMENT, confidence, masked, evidence)
        return found
