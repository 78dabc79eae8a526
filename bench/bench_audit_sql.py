"""SQL audit: injection detection and speed, each beside a baseline measured in the same run.

Detection: every payload of the shared injection corpora concatenated into HIS statements where
applications concatenate input (see ``audit_sql_corpus``), flagged when the verdict carries the
``sql_injection`` rule or a parse failure (both denied by the default policy); the rule alone is
shown too. False positives: Spider's benign gold queries (SQLite dialect) and a benign HIS
workload from the synthetic alliance's tables. Baseline: libinjection (``libinjection-python``)
on the very same statements.
Speed: statements/s through ``SqlAuditor`` cold (every statement a new template: parsed,
resolved, every rule run) and warm (a log where ~35 templates repeat with new values), CPU time
of this process. Baseline: a bare sqlglot parse of the same statements.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

import sqlglot

from bench.audit_sql_corpus import distinct_templates, embedded, his_workload, spider
from bench.harness import Row
from medshield.audit.sql.catalogue import SqlCatalogue
from medshield.audit.sql.engine import SqlAuditor
from medshield.audit.sql.fingerprint import fingerprint
from medshield.audit.sql.stream import JsonRecords, audit_lines, relaxed_gc
from medshield.policy import load_bundle

CORPUS = "shared/corpora sqli (libinjection, payloadbox, PATT, SecLists) in HIS statements"


def _flags(auditor: SqlAuditor, rule_only: bool = False) -> Callable[[str], bool]:
    def flagged(sql: str) -> bool:
        rules = {f.rule for f in auditor.audit(sql).findings}
        return "sql_injection" in rules or (not rule_only and "parse_error" in rules)

    return flagged


def _libinjection() -> Callable[[str], bool] | None:
    try:
        import libinjection
    except ImportError:
        return None
    return lambda sql: bool(libinjection.is_sql_injection(sql)["is_sqli"])


def _rate(flag: Callable[[str], bool], statements: list[str]) -> float:
    return 100.0 * sum(flag(s) for s in statements) / max(1, len(statements))


def _cpu_rate(fn: Callable[[], object], count: int) -> float:
    gc.collect()  # what the previous measurement left (its parse trees are cycles) is not ours
    started = time.process_time()
    fn()
    return count / max(time.process_time() - started, 1e-9)


def _parse_all(statements: list[str]) -> None:
    """The baseline: a bare sqlglot parse, with the collector set as for the audit."""
    with relaxed_gc():
        for sql in statements:
            try:
                sqlglot.parse(sql, read="mysql")
            except sqlglot.errors.SqlglotError:
                pass


def run(quick: bool = False) -> list[Row]:
    bundle = load_bundle()
    catalogue = SqlCatalogue.from_synth()
    injected, harmless = embedded(limit=1500 if quick else None)
    his = his_workload(2000 if quick else 20_000)
    benign_spider = spider()
    ours = _flags(SqlAuditor(bundle, catalogue))
    ours_rule = _flags(SqlAuditor(bundle, catalogue), rule_only=True)
    ours_sqlite = _flags(SqlAuditor(bundle, catalogue, dialect="sqlite"))
    lib = _libinjection()
    base_name = "libinjection" if lib else None
    rows: list[Row] = []

    def row(name: str, value: float, baseline: float | None, target: str, corpus: str) -> None:
        rows.append(Row(name, value, "%", base_name, baseline, target, corpus))

    n = len(injected)
    row(f"sql audit: injection detected ({n} statements)", _rate(ours, injected),
        _rate(lib, injected) if lib else None, ">= 95%", CORPUS)  # fmt: skip
    row("sql audit: injection detected, rule sql_injection alone", _rate(ours_rule, injected),
        _rate(lib, injected) if lib else None, "", CORPUS)  # fmt: skip
    row(f"sql audit: false positives, benign HIS ({len(his)})", _rate(ours, his),
        _rate(lib, his) if lib else None, "<= 0.5%", "synthetic alliance HIS workload")  # fmt: skip
    row(f"sql audit: false positives, Spider ({len(benign_spider)})", _rate(ours_sqlite, benign_spider),
        _rate(lib, benign_spider) if lib else None, "<= 0.5%", "Spider dev gold SQL")  # fmt: skip
    row(f"sql audit: payload kept inside a quoted value flagged ({len(harmless)})",
        _rate(ours, harmless), _rate(lib, harmless) if lib else None, "low",
        CORPUS + ", harmless placements")  # fmt: skip

    # speed: cold, every statement a template of its own
    cold = _distinct(distinct_templates(2000 if quick else 10_000))
    cold_rate = _cpu_rate(lambda: _cold(bundle, catalogue, cold), len(cold))
    parse_rate = _cpu_rate(lambda: _parse_all(cold), len(cold))
    rows.append(Row(f"sql audit: cold statements/s ({len(cold)} templates, each new)", cold_rate,
                    "stmt/s", "sqlglot parse", parse_rate, ">= 5,000", "HIS statements"))  # fmt: skip
    attacks = _distinct(injected)[: 1000 if quick else 5000]
    attack_rate = _cpu_rate(lambda: _cold(bundle, catalogue, attacks), len(attacks))
    attack_parse = _cpu_rate(lambda: _parse_all(attacks), len(attacks))
    rows.append(Row(f"sql audit: cold statements/s ({len(attacks)} injected, each new)",
                    attack_rate, "stmt/s", "sqlglot parse", attack_parse, "", CORPUS))  # fmt: skip
    log = his_workload(20_000 if quick else 200_000, seed=23)
    auditor = SqlAuditor(bundle, catalogue)
    for sql in log[:5000]:  # the templates are seen once before timing: a warm cache
        auditor.audit(sql)
    records = JsonRecords()
    warm_rate = _cpu_rate(
        lambda: [records.record(i, v) for i, _, v in audit_lines(log, auditor)], len(log)
    )
    sample = log[:5000]
    warm_parse = _cpu_rate(lambda: _parse_all(sample), len(sample))
    rows.append(Row("sql audit: warm statements/s (repeated templates, JSON out)", warm_rate,
                    "stmt/s", "sqlglot parse", warm_parse, ">= 50,000", "HIS log, ~35 templates"))  # fmt: skip
    return rows


def _distinct(statements: list[str]) -> list[str]:
    """One statement per fingerprint: each is analysed from scratch."""
    return list({fingerprint(s).digest: s for s in statements}.values())


def _cold(bundle: object, catalogue: SqlCatalogue, statements: list[str]) -> None:
    """Through ``audit_lines``, as ``medshield audit sql`` runs them."""
    auditor = SqlAuditor(bundle, catalogue, cache_size=len(statements))  # type: ignore[arg-type]
    for _ in audit_lines(statements, auditor):
        pass
