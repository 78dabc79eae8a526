"""Query rate and table mix of each account against its own history (robust statistics).

Queries are counted per account in buckets of the policy's length. When a bucket closes it is
compared with the account's earlier active buckets (idle stretches would make any activity look
like a burst): a count whose modified z-score (median and MAD)
passes the policy's bound is a burst; a bucket mostly on tables the account never touched is an
unusual table mix. No global number: each account is measured against itself.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from statistics import median
from typing import ClassVar

from medshield.audit.detectors.base import DetectorContext, Finding, State, moment, stamp
from medshield.audit.detectors.bulk_export import DIALECTS
from medshield.audit.detectors.statements import classify_statement
from medshield.audit.sources.base import LogEvent

_HISTORY = 1440  # buckets kept per account
_MAX_TABLES = 2000
_MAX_STATEMENTS = 50_000  # logs repeat statements: their tables are read once


@dataclass(slots=True)
class _Account:
    bucket: int
    count: int = 0
    unseen: int = 0
    last: LogEvent | None = None
    history: deque[int] = field(default_factory=lambda: deque(maxlen=_HISTORY))
    tables: set[str] = field(default_factory=set)
    fresh: set[str] = field(default_factory=set)
    flagged: bool = False  # the bucket before was already reported: one finding a burst


class QueryBaselineDetector:
    name: ClassVar[str] = "query_baseline"
    kinds: ClassVar[frozenset[str]] = frozenset({"query"})  # the events it looks at

    def __init__(self, ctx: DetectorContext) -> None:
        self.policy = ctx.policy.query_baseline
        self._bucket_seconds = self.policy.bucket_seconds
        self._accounts: dict[str, _Account] = {}
        self._seen_statements: dict[str, tuple[str, ...]] = {}  # statement -> its tables

    def state(self) -> State:
        """Each account's open bucket, history and tables (its baseline); of the last query only
        what a finding names (never its statement)."""
        accounts = {}
        for user, a in self._accounts.items():
            last = a.last
            accounts[user] = [
                a.bucket, a.count, a.unseen, list(a.history), sorted(a.tables), sorted(a.fresh),
                a.flagged,
                None if last is None
                else [stamp(last.at), last.host, last.source, last.line, last.end],
            ]  # fmt: skip
        return {"accounts": accounts}

    def restore(self, state: State) -> None:
        self._accounts = {}
        for user, (bucket, count, unseen, history, tables, fresh, flagged, last) in state[
            "accounts"
        ].items():
            account = _Account(bucket, count, unseen, None, deque(history, maxlen=_HISTORY))
            account.tables, account.fresh, account.flagged = set(tables), set(fresh), flagged
            if last is not None:
                at, host, source, line, end = last
                account.last = LogEvent(
                    source, "query", "info", moment(at), user, host, line=line, end=end
                )
            self._accounts[user] = account

    def observe(self, event: LogEvent) -> list[Finding]:
        user, at = event.user, event.at
        if event.kind != "query" or not user or at is None:
            return []
        if event.statement is None and event.object is None:
            return []
        bucket = int(at.timestamp()) // self._bucket_seconds
        account = self._accounts.get(user)
        found: list[Finding] = []
        if account is None:
            if len(self._accounts) >= 100_000:
                self._accounts.clear()
            account = self._accounts[user] = _Account(bucket)
        elif bucket > account.bucket:
            found = self._close(user, account)
            account.bucket = bucket  # idle buckets are not history: the rate while active is
        account.count += 1
        account.last = event
        known = account.tables
        for table in self._tables(event):
            if table not in known:
                account.unseen += 1
                if len(account.fresh) < _MAX_TABLES:
                    account.fresh.add(table)
                break
        return found

    def flush(self) -> list[Finding]:
        """Judge the buckets still open (end of a batch)."""
        return [f for user, acc in self._accounts.items() for f in self._close(user, acc)]

    def _tables(self, event: LogEvent) -> tuple[str, ...]:
        if event.object:
            return (event.object.rsplit(".", 1)[-1],)
        statement = event.statement or ""
        tables = self._seen_statements.get(statement)
        if tables is None:
            info = classify_statement(statement, DIALECTS.get(event.source, "postgres"))
            tables = tuple(t.rsplit(".", 1)[-1] for t in info.tables)
            if len(self._seen_statements) >= _MAX_STATEMENTS:
                self._seen_statements.clear()
            self._seen_statements[statement] = tables
        return tables

    def _close(self, user: str, account: _Account) -> list[Finding]:
        count, unseen, last, history = account.count, account.unseen, account.last, account.history
        reasons: list[str] = []
        evidence: dict[str, object] = {"queries": count}
        if len(history) >= self.policy.min_history and count >= self.policy.min_queries:
            mid = median(history)
            mad = median(abs(x - mid) for x in history) or 1.0
            score = 0.6745 * (count - mid) / mad
            evidence.update(median=mid, mad=mad, robust_z=round(score, 2))
            if score >= self.policy.robust_z:
                reasons.append(
                    f"查询频率异常 / {count} queries in {self.policy.bucket_seconds}s, "
                    f"own median {mid:g} (robust z {score:.1f})"
                )
            if account.tables and unseen / count >= self.policy.new_table_share:
                reasons.append(
                    f"访问表异常 / {unseen} of {count} queries on tables new to the account"
                )
                evidence["new_tables"] = sorted(account.fresh)[:20]
        history.append(count)
        if len(account.tables) < _MAX_TABLES:
            account.tables |= account.fresh
        account.count = account.unseen = 0
        account.fresh = set()
        if not reasons or last is None:
            account.flagged = False
            return []
        if account.flagged:
            return []  # the same burst goes on
        account.flagged = True
        return [
            Finding(
                self.name,
                "alert.query_pattern",
                "medium",
                last.at,
                last.host,
                user,
                last.source,
                tuple(reasons),
                evidence,
                (last.line, last.line),
                last.end,
            )
        ]
