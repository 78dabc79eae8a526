"""Checks of the graded catalogue: coverage of the tables the ledger sees, and columns graded
with low confidence that nobody reviewed."""

from __future__ import annotations

from collections import Counter
from typing import ClassVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from medshield.governance.checks.base import Finding, LoopContext
from medshield.store.models.catalog import CatalogColumn, CatalogSource, CatalogTable


def _catalogued(ctx: LoopContext) -> set[tuple[str, str]]:
    assert ctx.store is not None
    with Session(ctx.store) as session:
        rows = session.execute(select(CatalogSource.name, CatalogTable.name)
                               .join(CatalogTable, CatalogTable.source_id == CatalogSource.id))  # fmt: skip
        return {(str(source), str(table)) for source, table in rows}


class CoverageCheck:
    name: ClassVar[str] = "catalogue_coverage"
    zh: ClassVar[str] = "数据目录覆盖不全"
    suggestion: ClassVar[str] = "将未编目的数据表纳入分类分级扫描"
    days: ClassVar[float] = 30.0

    def run(self, ctx: LoopContext) -> list[Finding]:
        if ctx.store is None:
            return []
        known = _catalogued(ctx)
        seen = Counter(
            (r.event.object.source, r.event.object.table)
            for r in ctx.recent("", self.days)
            if r.event.object.source and r.event.object.table
        )
        return [Finding(self.name, f"{s}/{t}", n, f"table {t} of {s} is used but not catalogued")
                for (s, t), n in sorted(seen.items()) if (s, t) not in known]  # fmt: skip


class ConfidenceCheck:
    name: ClassVar[str] = "unreviewed_low_confidence"
    zh: ClassVar[str] = "低置信度字段未复核"
    suggestion: ClassVar[str] = "复核低置信度字段并在策略中固定其级别"

    def run(self, ctx: LoopContext) -> list[Finding]:
        if ctx.store is None:
            return []
        minimum = ctx.bundle.governance.checks.min_confidence
        with Session(ctx.store) as session:
            rows = session.execute(
                select(CatalogTable.name, CatalogColumn.name)
                .join(CatalogTable, CatalogColumn.table_id == CatalogTable.id)
                .where(CatalogColumn.confidence < minimum, CatalogColumn.override_by.is_(None))
            ).all()
        per_table = Counter(str(table) for table, _column in rows)
        return [Finding(self.name, table, n, f"{n} columns of {table} graded below "
                        f"{minimum:.0%} confidence and not reviewed", "medium")
                for table, n in sorted(per_table.items())]  # fmt: skip
