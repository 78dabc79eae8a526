"""Auditing a statement log line by line, in constant memory.

One input line is one submission; the output is exactly one record per line. Verdicts come from
the per-fingerprint caches, and the JSON of a verdict is kept beside it, so a repeated template
costs a fingerprint, two dict look-ups and a string join.

For the ledger, what was not allowed is tallied so that every statement can be traced: a denied
statement is a tally of its own (one event each); alerts are tallied per template and action
with the line ranges they came from and a SHA-256 over ``line<TAB>statement<LF>`` of each, so
whoever holds the log can prove which statements an event stands for.
"""

from __future__ import annotations

import gc
import hashlib
import json
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from medshield.audit.sql.engine import SqlAuditor, Verdict

MAX_RANGES = 1000  # line ranges one tally holds; a template's later lines start a new tally


@dataclass
class TemplateTally:
    """What one template got in a run (or one denied statement): one ledger event each."""

    verdict: Verdict
    sql: str  # the first statement seen with it
    first_line: int
    count: int = 0
    ranges: list[list[int]] = field(default_factory=list)  # [first, last] line runs
    chain: hashlib._Hash = field(default_factory=hashlib.sha256, repr=False)

    def add(self, number: int, sql: str) -> None:
        self.count += 1
        if self.ranges and self.ranges[-1][1] == number - 1:
            self.ranges[-1][1] = number
        else:
            self.ranges.append([number, number])
        self.chain.update(f"{number}\t{sql}\n".encode())  # a line holds no newline

    @property
    def statements_digest(self) -> str:
        """SHA-256 over ``line<TAB>statement<LF>`` of each of its statements, in order."""
        return "sha256:" + self.chain.hexdigest()

    def trace(self) -> dict[str, object]:
        return {
            "count": self.count,
            "first_line": self.first_line,
            "lines": self.ranges,
            "statements_digest": self.statements_digest,
        }


@dataclass
class StreamSummary:
    lines: int = 0
    actions: dict[str, int] = field(default_factory=lambda: {"allow": 0, "alert": 0, "deny": 0})
    tallies: OrderedDict[tuple[str, ...], TemplateTally] = field(default_factory=OrderedDict)
    trace: bool = True  # tally what was not allowed, for the ledger (off: totals only)


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
    institution: str | None = None,
    summary: StreamSummary | None = None,
) -> Iterator[tuple[int, str, Verdict]]:
    """``(line number, statement, verdict)`` for every line, in order."""
    tally = summary if summary is not None else StreamSummary(trace=False)
    with relaxed_gc():
        yield from _audit(lines, auditor, (role, scenario, institution), tally)


def _audit(
    lines: Iterable[str],
    auditor: SqlAuditor,
    caller: tuple[str | None, str | None, str | None],
    tally: StreamSummary,
) -> Iterator[tuple[int, str, Verdict]]:
    role, scenario, institution = caller
    for number, raw in enumerate(lines, start=1):
        sql = raw.rstrip("\r\n")
        verdict = auditor.audit(sql, role=role, scenario=scenario, institution=institution)
        tally.lines += 1
        tally.actions[verdict.action] += 1
        if verdict.action != "allow" and tally.trace:
            key: tuple[str, ...] = (verdict.fingerprint, verdict.action)
            if verdict.action == "deny":
                key = (*key, str(number))  # every denied statement is an event of its own
            entry = tally.tallies.get(key)
            if entry is None:
                entry = tally.tallies[key] = TemplateTally(verdict, sql, number)
            entry.add(number, sql)
            if len(entry.ranges) >= MAX_RANGES:  # closed: the template's next line starts anew
                tally.tallies[(*key, f"to {number}")] = tally.tallies.pop(key)
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
