from __future__ import annotations

from medshield.detect.scan import JoinedColumn
from medshield.detect.terms import term_index


def test_longest_match_and_kind_filter() -> None:
    index = term_index()
    column = JoinedColumn(["因急性化脓性阑尾炎入院，行阑尾切除术"])
    diagnoses = [(h.start, h.end) for h in index.scan(column, "diagnosis")]
    operations = [(h.start, h.end) for h in index.scan(column, "operation")]
    assert diagnoses == [(1, 9)]
    assert operations == [(13, 18)]


def test_masked_lookup_keeps_uncovered_characters() -> None:
    index = term_index()
    found = index.masked("急性阑尾*", "diagnosis")
    assert found is not None and found.text.startswith("急性阑尾")
    assert index.masked("*****", "diagnosis") is None
    assert index.masked("急性阑尾炎", "diagnosis") is None
    assert index.masked("某某某某*", "diagnosis") is None
