"""Execution-time tiers from the catalogue's indexes.

Every predicate column indexed: the long limit; some: medium; none: short, and a scan of a table
the catalogue counts as large is reported (rule ``full_scan``, denied by the default policy).
"""

from __future__ import annotations

from dataclasses import dataclass

from medshield.audit.sql.analysis import Analysis
from medshield.audit.sql.catalogue import SqlCatalogue
from medshield.policy.audit_sql import AuditSqlSettings


@dataclass(frozen=True)
class Tier:
    name: str  # long | medium | short
    seconds: float
    reason: str
    scans_large: bool = False

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "seconds": self.seconds, "reason": self.reason}


def tier_of(analysis: Analysis, catalogue: SqlCatalogue, settings: AuditSqlSettings) -> Tier:
    """The tier of an analysed submission (computed once, then kept on the analysis)."""
    found = analysis.memo.get("tier")
    if found is None:
        found = analysis.memo["tier"] = _tier(analysis, catalogue, settings)
    assert isinstance(found, Tier)
    return found


def _tier(analysis: Analysis, catalogue: SqlCatalogue, settings: AuditSqlSettings) -> Tier:
    limits = settings.tiers
    predicates: set[tuple[str, str]] = set()
    tables: set[str] = set()
    for s in analysis.statements:
        if s.query or s.kind in ("update", "delete"):
            predicates |= s.resolution.predicates
            tables |= s.resolution.tables
    if not tables:
        return Tier("short", limits.short, "no catalogued table read")
    indexed = {(t, c) for t, c in predicates if c in _indexed(catalogue, t)}
    if predicates and indexed == predicates:
        cols = ", ".join(f"{t}.{c}" for t, c in sorted(predicates))
        return Tier("long", limits.long, f"every predicate column indexed ({cols})")
    if indexed:
        missing = ", ".join(f"{t}.{c}" for t, c in sorted(predicates - indexed))
        return Tier("medium", limits.medium, f"some predicate columns not indexed ({missing})")
    bounded = {t for t, _ in indexed}
    large = [
        t for t in sorted(tables - bounded)
        if (catalogue.table(t) is not None and (catalogue.table(t).rows or 0)  # type: ignore[union-attr]
            >= settings.large_table_rows)
    ]  # fmt: skip
    why = "no predicate column indexed" if predicates else "no predicate"
    if large and settings.deny_unindexed_large:
        return Tier("short", limits.short, f"{why}: scans large table {', '.join(large)}", True)
    return Tier("short", limits.short, why)


def _indexed(catalogue: SqlCatalogue, table: str) -> frozenset[str]:
    facts = catalogue.table(table)
    return facts.indexed if facts else frozenset()
