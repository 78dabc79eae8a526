"""The ad-hoc query service (即席查询).

``run_query`` is what the command line and the gateway call. A submitted statement is audited
and allowed or denied; run read-only with its tier's time limit and a row cap; its result masked
for the role and scenario; and the released result's checksum (SM3 or SHA-256, per policy)
returned and recorded. Every statement and verdict is a ledger event (text by digest); a release
also records a ``lineage.process`` step from each source table to ``query/<user>`` and counts
the rows per user and table (``traffic``)::

    from medshield.audit.query import QueryService

    service = QueryService(bundle)               # keep one: it caches engines and catalogues
    result = service.run(url, "SELECT ...", user="u1", role="doctor",
                         scenario="collaborative_care")
    result.rows, result.checksum, result.verdict.tier

The gateway's query-backed APIs come through ``run_bound``: a declared statement with bound
parameters, audited once per statement, role and scenario, run read-only under its tier on
every call, its rows returned for the gateway's own checks and masking.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine

from medshield.audit.sql.analysis import dialect_of
from medshield.audit.sql.catalogue import SqlCatalogue
from medshield.audit.sql.catalogue_source import catalogue_from_source
from medshield.audit.sql.engine import Finding, SqlAuditor, Verdict
from medshield.audit.sql.events import verdict_event
from medshield.audit.sql.execute import dispose, read_only_sqlite, run_read_only
from medshield.audit.sql.projection import output_elements
from medshield.classify.scan import open_source, safe_url
from medshield.errors import QueryDeniedError, QueryKilledError, QueryTimeoutError
from medshield.ledger import Event, Ledger, open_ledger
from medshield.ledger.canonical import digest_function
from medshield.lineage.steps import record_step
from medshield.mask.dynamic import mask_records
from medshield.policy import Form, PolicyBundle, Stage, UseContext, decide_access, load_bundle

ENGINE_KINDS = {"postgresql": "postgres", "mysql": "mysql", "mariadb": "mysql", "sqlite": "sqlite"}


@dataclass(frozen=True)
class QueryResult:
    columns: tuple[str, ...]
    rows: list[dict[str, Any]]  # masked for the role and scenario
    truncated: bool  # more rows than the cap existed
    checksum: str  # "sm3:..." or "sha256:..." of the released (masked) result
    verdict: Verdict
    elements: dict[str, str | None] = field(default_factory=dict)  # output column -> element


@dataclass(frozen=True)
class BoundRows:
    """The rows of a declared statement, as the source gave them (the caller checks and masks)."""

    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]  # one tuple of ``columns`` per row
    truncated: bool
    verdict: Verdict


def result_checksum(columns: Iterable[str], rows: Iterable[dict[str, Any]], alg: str) -> str:
    """The checksum of a released result: canonical JSON of its columns and rows."""
    cols = list(columns)
    body = json.dumps(
        {"columns": cols, "rows": [[row.get(c) for c in cols] for row in rows]},
        ensure_ascii=False,
        separators=(",", ":"),
        default=_plain,
    )
    return f"{alg}:{digest_function(alg)(body.encode('utf-8'))}"


def verify_checksum(columns: Iterable[str], rows: Iterable[dict[str, Any]], checksum: str) -> bool:
    """Does a later copy of a released result match the checksum recorded at release?"""
    alg = checksum.partition(":")[0]
    return result_checksum(columns, rows, alg) == checksum


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


class QueryService:
    """Audits and runs ad-hoc queries against source databases for one policy bundle."""

    def __init__(
        self,
        bundle: PolicyBundle | None = None,
        *,
        ledger: Ledger | None = None,
        catalogues: dict[str, SqlCatalogue] | None = None,
        store: Engine | None = None,
    ) -> None:
        self.bundle = bundle or load_bundle()
        self._ledger = ledger
        self._store = store
        self._catalogues = dict(catalogues or {})
        self._engines: dict[str, Engine] = {}
        self._auditors: dict[str, SqlAuditor] = {}
        self._names: dict[str, str] = {}  # url -> its name without the password
        self._bound: dict[tuple[str, str, str, str | None], Verdict] = {}

    def use_engine(self, url: str, engine: Engine) -> None:
        """Run the statements of ``url`` on ``engine`` (the caller's pool) instead of a new one."""
        self._engines.setdefault(safe_url(url), engine)

    def close(self) -> None:
        for engine in self._engines.values():
            dispose(engine)
        self._engines.clear()

    def auditor(self, url: str) -> SqlAuditor:
        name = safe_url(url)
        if name not in self._auditors:
            engine = self._engine(url)
            dialect = dialect_of(ENGINE_KINDS.get(engine.dialect.name, engine.dialect.name))
            catalogue = self._catalogues.get(name) or catalogue_from_source(
                engine, self.bundle, store=self._store
            )
            self._auditors[name] = SqlAuditor(self.bundle, catalogue, dialect=dialect)
        return self._auditors[name]

    def _engine(self, url: str) -> Engine:
        name = safe_url(url)
        if name not in self._engines:
            engine = open_source(url)
            self._engines[name] = (
                read_only_sqlite(engine) if engine.dialect.name == "sqlite" else engine
            )
        return self._engines[name]

    def run(
        self,
        url: str,
        sql: str,
        *,
        user: str,
        role: str,
        scenario: str,
        row_cap: int | None = None,
        institution: str | None = None,
    ) -> QueryResult:
        """``institution`` is the user's, when known: reads of other institutions' rows are
        then found (``sensitive_objects``, params ``other_institutions``)."""
        source = safe_url(url)
        context = UseContext(form=Form.MASKED, stage=Stage.PROCESS, role=role, scenario=scenario)
        refusal = decide_access(self.bundle, [], context)
        if not refusal.allowed:
            raise QueryDeniedError("; ".join(refusal.reasons), where=source)
        auditor = self.auditor(url)
        verdict = auditor.audit(sql, role=role, scenario=scenario, institution=institution)
        if verdict.allowed and not _read_only(verdict):
            verdict = _denied(verdict, "the query service runs one SELECT statement, read-only")
        with self._ledger_open() as ledger:
            ledger.append(
                self._statement_event(verdict, sql, user, source, role, scenario, institution)
            )
            if not verdict.allowed:
                reasons = "; ".join(f"{f.rule}: {f.evidence}" for f in verdict.findings)
                raise QueryDeniedError(f"denied by the SQL audit: {reasons}", where=source)
            started = datetime.now(UTC)
            settings = self.bundle.audit.sql
            try:
                fetched = run_read_only(
                    self._engine(url),
                    sql,
                    seconds=verdict.tier.seconds,
                    row_cap=row_cap or settings.row_cap,
                    where=source,
                    server_limit=settings.server_limits,
                    grace=settings.watchdog_grace,
                )
            except QueryTimeoutError as exc:
                ledger.append(self._stopped_event(verdict, user, source, exc))
                raise
            elements = output_elements(sql, auditor.analyser.catalogue, auditor.dialect)
            columns = {c: elements.get(c) for c in fetched.columns}
            records = [dict(zip(fetched.columns, row, strict=True)) for row in fetched.rows]
            masked = mask_records(records, columns, context, self.bundle)
            checksum = result_checksum(fetched.columns, masked, self.bundle.audit.sql.checksum)
            self._record_release(ledger, verdict, user, source, masked, checksum, started, role)
        return QueryResult(fetched.columns, masked, fetched.truncated, checksum, verdict, columns)

    def run_bound(
        self, url: str, sql: str, params: Mapping[str, Any], *, user: str, role: str,
        scenario: str | None, row_cap: int | None = None,
        record: Callable[[Event], None] | None = None,
    ) -> BoundRows:  # fmt: skip
        """A declared statement (``:name`` placeholders) with ``params`` bound, for ``user``.

        The audit's verdict is taken once per statement, role and scenario (its
        ``audit.query.statement`` event recorded then, through ``record`` or the ledger); a deny
        is ``QueryDeniedError`` on every call. An allowed statement runs read-only under its
        tier's time limit and the row cap. The rows come back unmasked: the caller checks them
        against its request and masks them for its own context (``mask_records``)."""
        source = self._names.get(url) or self._names.setdefault(url, safe_url(url))
        key = (url, sql, role, scenario)
        verdict = self._bound.get(key)
        if verdict is None:
            verdict = self.auditor(url).audit(sql, role=role, scenario=scenario or None)
            if verdict.allowed and not _read_only(verdict):
                verdict = _denied(verdict, "a declared statement is one SELECT, read-only")
            event = self._statement_event(verdict, sql, user, source, role, scenario)
            if record is not None:
                record(event)
            else:
                with self._ledger_open() as ledger:
                    ledger.append(event)
            verdict = self._bound.setdefault(key, verdict)
        if not verdict.allowed:
            reasons = "; ".join(f"{f.rule}: {f.evidence}" for f in verdict.findings)
            raise QueryDeniedError(f"denied by the SQL audit: {reasons}", where=source)
        engine = self._engines.get(source) or self._engine(url)
        settings = self.bundle.audit.sql
        try:
            fetched = run_read_only(
                engine, sql, params=params, seconds=verdict.tier.seconds,
                row_cap=row_cap or settings.row_cap, where=source,
                server_limit=settings.server_limits, grace=settings.watchdog_grace,
            )  # fmt: skip
        except QueryTimeoutError as exc:
            stopped = self._stopped_event(verdict, user, source, exc)
            if record is not None:
                record(stopped)
            else:
                with self._ledger_open() as ledger:
                    ledger.append(stopped)
            raise
        return BoundRows(fetched.columns, fetched.rows, fetched.truncated, verdict)

    def _statement_event(
        self, verdict: Verdict, sql: str, user: str, source: str, role: str,
        scenario: str | None, institution: str | None = None,
    ) -> Event:  # fmt: skip
        return verdict_event(
            verdict, sql, actor=user, policy_version=self.bundle.version,
            action="audit.query.statement", source=source, role=role, scenario=scenario,
            institution=institution,
        )  # fmt: skip

    def _stopped_event(
        self, verdict: Verdict, user: str, source: str, exc: QueryTimeoutError
    ) -> Event:
        """A statement stopped at its tier's limit, by the server or by the watchdog."""
        by = "watchdog" if isinstance(exc, QueryKilledError) else "server"
        return Event(
            action="audit.query.stopped",
            actor=user,
            outcome="deny",
            policy_version=self.bundle.version,
            reasons=(f"{exc.code}: {exc.message}"[:300],),
            detail={
                "fingerprint": verdict.fingerprint,
                "source": source,
                "tier": verdict.tier.as_dict(),
                "stopped_by": by,
            },
        )

    def _record_release(
        self, ledger: Ledger, verdict: Verdict, user: str, source: str,
        rows: list[dict[str, Any]], checksum: str, started: datetime, role: str,
    ) -> None:  # fmt: skip
        tables = sorted({t for s in verdict.analysis.statements for t in s.resolution.tables})
        ledger.append(
            Event(
                action="audit.query.release",
                actor=user,
                outcome="allow",
                payload_digest=checksum,
                policy_version=self.bundle.version,
                rows=len(rows),
                detail={
                    "fingerprint": verdict.fingerprint,
                    "tables": tables,
                    "role": role,
                    "source": source,
                    "tier": verdict.tier.as_dict(),
                },
            )  # fmt: skip
        )
        for table in tables:
            record_step(
                ledger, stage=Stage.PROCESS, actor=user, from_=f"{_node(source)}/{table}",
                to=f"query/{user}", form=Form.MASKED, rows=len(rows), time_in=started,
                time_out=datetime.now(UTC), job=verdict.fingerprint,
            )  # fmt: skip

    def _ledger_open(self) -> AbstractContextManager[Ledger]:
        """The caller's ledger (used, not closed), or the platform's for this call."""
        if self._ledger is not None:
            return nullcontext(self._ledger)
        return open_ledger(bundle=self.bundle)


def _node(source: str) -> str:
    return source.replace("/", "_")


def _read_only(verdict: Verdict) -> bool:
    statements = verdict.analysis.statements
    return len(statements) == 1 and statements[0].query


def _denied(verdict: Verdict, why: str) -> Verdict:
    finding = Finding("read_only", "high", "deny", why)
    return replace(verdict, action="deny", findings=(*verdict.findings, finding))


def run_query(
    source_url: str,
    sql: str,
    *,
    user: str,
    role: str,
    scenario: str,
    bundle: PolicyBundle | None = None,
    ledger: Ledger | None = None,
    catalogue: SqlCatalogue | None = None,
    row_cap: int | None = None,
    institution: str | None = None,
) -> QueryResult:
    """Audit, run, mask and checksum one ad-hoc query (a one-off ``QueryService``)."""
    catalogues = {safe_url(source_url): catalogue} if catalogue is not None else None
    service = QueryService(bundle, ledger=ledger, catalogues=catalogues)
    try:
        return service.run(
            source_url,
            sql,
            user=user,
            role=role,
            scenario=scenario,
            row_cap=row_cap,
            institution=institution,
        )
    finally:
        service.close()


def traffic(records: Iterable[Any]) -> list[dict[str, Any]]:
    """Statements and rows released per user and table, from ``audit.query.release`` records."""
    statements: Counter[tuple[str, str]] = Counter()
    rows: Counter[tuple[str, str]] = Counter()
    for record in records:
        event = record.event
        if event.action != "audit.query.release":
            continue
        for table in event.detail.get("tables", []):
            statements[(event.actor, table)] += 1
            rows[(event.actor, table)] += event.rows or 0
    return [
        {"user": user, "table": table, "statements": n, "rows": rows[(user, table)]}
        for (user, table), n in sorted(statements.items())
    ]
