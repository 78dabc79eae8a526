"""The shipped medical term dictionary (``data/terms.tsv``) and an Aho-Corasick matcher over it.

One automaton holds every term (diagnoses, drugs, operations); a column is scanned once, joined,
taking the longest match at each place. Masked terms (``急性阑尾*``, ``**阑尾炎``) are matched by
length and the characters left uncovered.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Literal

import ahocorasick_rs

from medshield.detect.scan import NORMAL, JoinedColumn

Kind = Literal["diagnosis", "drug", "operation"]
COVER = frozenset("*?#×")
HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Term:
    text: str
    kind: Kind
    code: str  # ICD-10 code of a diagnosis, generic name of a drug, or ""


@dataclass(frozen=True)
class TermHit:
    index: int
    start: int
    end: int
    term: Term
    whole: bool
    masked: bool


class TermIndex:
    """Terms by text (exact look-up), in an automaton (substrings) and by shape (masked)."""

    def __init__(self, terms: list[Term]) -> None:
        self.by_text: dict[str, list[Term]] = defaultdict(list)
        # (kind, length, first or last character) -> terms, for covered forms
        self._by_end: dict[tuple[str, int, int, str], list[Term]] = defaultdict(list)
        self._by_shape: dict[tuple[str, int], list[Term]] = defaultdict(list)
        for term in terms:
            self.by_text[term.text].append(term)
            n = len(term.text)
            self._by_end[(term.kind, n, 0, term.text[0])].append(term)
            self._by_end[(term.kind, n, -1, term.text[-1])].append(term)
            self._by_shape[(term.kind, n)].append(term)
        self._texts = list(self.by_text)
        self._matcher = ahocorasick_rs.AhoCorasick(  # over the column's normalised text
            [t.translate(NORMAL) for t in self._texts],
            matchkind=ahocorasick_rs.MatchKind.LeftmostLongest,
        )
        self._last: tuple[str, list[tuple[int, int, int]]] = ("", [])

    def _matches(self, text: str) -> list[tuple[int, int, int]]:
        """(term number, start, end) of the leftmost-longest matches; the last text is kept, as
        the diagnosis, drug and operation detectors scan the same column one after another."""
        last_text, last = self._last
        if text is last_text or text == last_text:
            return last
        found = self._matcher.find_matches_as_indexes(text)
        self._last = (text, found)
        return found

    def covered(self, text: str) -> list[bool]:
        """For each character of ``text``, whether a dictionary term of two or more characters
        (leftmost-longest) covers it."""
        marks = [False] * len(text)
        for _, begin, end in self._matches(text):
            if end - begin >= 2:
                marks[begin:end] = [True] * (end - begin)
        return marks

    def __len__(self) -> int:
        return sum(len(g) for g in self.by_text.values())

    def scan(self, column: JoinedColumn, kind: Kind, *, min_len: int = 2) -> Iterator[TermHit]:
        """Longest dictionary matches of ``kind`` in every value (shorter inside-text ones skipped
        when below ``min_len``)."""
        starts, text = column.starts, column.text
        for number, begin, end in self._matches(text):
            matching = [t for t in self.by_text[self._texts[number]] if t.kind == kind]
            if not matching or _glued(text, begin - 1, begin) or _glued(text, end - 1, end):
                continue  # not this kind, or 维生素B1 cut out of 维生素B12
            i = bisect_right(starts, begin) - 1
            value = column.values[i] or ""
            s, e = begin - starts[i], end - starts[i]
            whole = value.strip() == value[s:e]
            if whole or end - begin >= min_len:
                yield TermHit(i, s, e, matching[0], whole, False)

    def masked(self, value: str, kind: Kind) -> Term | None:
        """A term of ``kind`` that ``value`` is a covered form of (at least one character kept)."""
        text = value.strip()
        covered = [c in COVER for c in text]
        if not any(covered) or all(covered) or not HAN.search(text):
            return None
        kept = [(i, c) for i, c in enumerate(text) if not covered[i]]
        n = len(text)
        if not covered[0]:
            candidates = self._by_end.get((kind, n, 0, text[0]), [])
        elif not covered[-1]:
            candidates = self._by_end.get((kind, n, -1, text[-1]), [])
        else:
            candidates = self._by_shape.get((kind, n), [])
        for term in candidates:
            if all(term.text[i] == c for i, c in kept):
                return term
        return None


def _glued(text: str, left: int, right: int) -> bool:
    """Both characters at the seam are ASCII letters or digits (a term cut out of a word)."""
    if left < 0 or right >= len(text):
        return False
    return (
        text[left].isascii()
        and text[left].isalnum()
        and text[right].isascii()
        and text[right].isalnum()
    )


@cache
def term_index() -> TermIndex:
    """The shipped dictionary, loaded once."""
    raw = files("medshield.detect").joinpath("data/terms.tsv").read_text(encoding="utf-8")
    terms: list[Term] = []
    for line in raw.splitlines():
        if not line or line.startswith("#"):
            continue
        text, kind, code = line.split("\t")
        terms.append(Term(text, kind, code))  # type: ignore[arg-type]
    return TermIndex(terms)
