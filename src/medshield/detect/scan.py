"""Vectorised scanning: one regular expression over a whole column joined by newlines.

Scanning the joined text runs the regex engine once in C over the column instead of once per
value in Python; each match is mapped back to its value by a binary search over the offsets.
Newlines inside values become spaces and full-width characters their ASCII forms (one character
for one, so spans stay exact); no pattern of a detector crosses a newline.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Hit:
    index: int
    start: int
    end: int
    match: re.Match[str]
    whole: bool  # the match covers the whole value (ignoring surrounding blanks)

    def span(self, group: str) -> tuple[int, int]:
        """The span of the match's named ``group`` inside the value."""
        offset = self.match.start() - self.start
        s, e = self.match.span(group)
        return s - offset, e - offset


# One character for one, so spans stay exact: line breaks to blanks; full-width (全角) digits,
# letters and the signs of identifiers (＊ ＋ － ． ＠ ＃) to ASCII. Chinese punctuation (：，（）)
# stays: the detectors' patterns know both forms.
NORMAL = (
    {0x0A: " ", 0x0D: " "}
    | {
        c: c - 0xFEE0
        for c in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))
    }
    | {ord(c): ord(c) - 0xFEE0 for c in "＊＋－．＠＃"}
)


class Finder(Protocol):
    """A compiled pattern, or anything else that finds matches the same way."""

    def finditer(self, text: str) -> Iterator[re.Match[str]]: ...


class JoinedColumn:
    """A column of values as one text, with the offset of each value."""

    def __init__(self, values: Sequence[str | None]) -> None:
        self.values = values
        parts = [v.translate(NORMAL) if v else "" for v in values]
        self.starts: list[int] = []
        offset = 0
        for part in parts:
            self.starts.append(offset)
            offset += len(part) + 1
        self.text = "\n".join(parts)

    def hits(self, pattern: Finder) -> Iterator[Hit]:
        starts = self.starts
        for m in pattern.finditer(self.text):
            i = bisect_right(starts, m.start()) - 1
            s, e = m.start() - starts[i], m.end() - starts[i]
            value = self.values[i] or ""
            whole = not value[:s].strip() and not value[e:].strip()
            yield Hit(i, s, e, m, whole)


def label_has(label: str | None, words: Sequence[str]) -> bool:
    """The column label (name or comment) contains one of ``words`` (case-insensitive)."""
    if not label:
        return False
    low = label.lower()
    return any(w in low for w in words)


def clamp(value: float) -> float:
    """A confidence kept within 0-1 and rounded to two places."""
    return round(max(0.0, min(1.0, value)), 2)
