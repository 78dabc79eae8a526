"""Auditing a statement log line by line, in constant memory.

One input line is one submission; the output is exactly one record per line. Verdicts come from
the per-fingerprint caches, and the JSON of a verdict is kept beside it, so a repeated template
costs a fingerprint, two dict look-ups and a string join.
"""

from __future__ import annotations

import gc
import json
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from medshield.audit.sql.engine import SqlAuditor, Verdict


@dataclass
class TemplateTally:
    """What one template got in a run: for the ledger, one event per template and action."""

    verdict: Verdict
    sql: str  # the first statement seen with it
    first_line: int
    count: int = 0


@dataclass
class StreamSummary:
    lines: int = 0
    actions: dict[str, int] = field(default_factory=lambda: {"allow": 0, "alert": 0, "deny": 0})
    tallies: OrderedDict[tuple[str, str], TemplateTally] = field(default_factory=OrderedDict)


@contextmanager
def relaxed_gc(first: int = 50_000) -> Iterator[None]:
    """Fewer cyclic collections while a stream runs: parse trees hold parent links (cycles), so
    at the default threshold the collector rescans the cached analyses every few statements."""
    old = gc.get_threshold()
    gc.set_threshold(max(first, old[0]), max(50, old[1]), max(100, old[2]))
    try:
        yield
    finally:
        gc.set_threshold(*old)


def audit_lines(
    lines: Iterable[str],
    auditor: SqlAuditor,
    *,
    role: str | None = None,
    scenario: str | None = None,
    summary: StreamSummary | None = None,
) -> Iterator[tuple[int, str, Verdict]]:
    """``(line number, statement, verdict)`` for every line, in order."""
    tally = summary if summary is not None else StreamSummary()
    with relaxed_gc():
        yield from _audit(lines, auditor, role, scenario, tally)


def _audit(
    lines: Iterable[str],
    auditor: SqlAuditor,
    role: str | None,
    scenario: str | None,
    tally: StreamSummary,
) -> Iterator[tuple[int, str, Verdict]]:
    for number, raw in enumerate(lines, start=1):
        sql = raw.rstrip("\r\n")
        verdict = auditor.audit(sql, role=role, scenario=scenario)
        tally.lines += 1
        tally.actions[verdict.action] += 1
        if verdict.action != "allow":
            key = (verdict.fingerprint, verdict.action)
            entry = tally.tallies.get(key)
            if entry is None:
                entry = tally.tallies[key] = TemplateTally(verdict, sql, number)
            entry.count += 1
        yield number, sql, verdict


class JsonRecords:
    """``{"line": N, "action": ..., "fingerprint": ..., "tier": ..., "findings": [...]}``."""

    def __init__(self, size: int = 4096) -> None:
        self._tails: OrderedDict[int, tuple[Verdict, str]] = OrderedDict()
        self.size = size

    def record(self, number: int, verdict: Verdict) -> str:
        key = id(verdict)
        found = self._tails.get(key)
        if found is None or found[0] is not verdict:
            tail = json.dumps(verdict.as_dict(), ensure_ascii=False)[1:]
            found = self._tails[key] = (verdict, tail)
            if len(self._tails) > self.size:
                self._tails.popitem(last=False)
        return f'{{"line": {number}, {found[1]}'
