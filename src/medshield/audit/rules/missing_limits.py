"""UPDATE or DELETE without a WHERE (or an always-true one); SELECT without LIMIT on a large
table when no indexed predicate bounds it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from sqlglot import exp

from medshield.audit.rules.base import RuleContext
from medshield.audit.sql.analysis import Analysis
from medshield.audit.sql.predicates import always_true, conjuncts, is_constant
from medshield.audit.sql.resolve import Resolution


class MissingLimitsRule:
    name: ClassVar[str] = "missing_limits"

    def check(self, analysis: Analysis, context: RuleContext) -> Iterator[str]:
        for statement in analysis.statements:
            tree = statement.tree
            if isinstance(tree, (exp.Update, exp.Delete)):
                where = tree.args.get("where")
                verb = statement.kind.upper()
                if where is None:
                    yield f"{verb} without WHERE"
                elif all(always_true(c) or is_constant(c) for c in conjuncts(where.this)):
                    # 1=1 and 1=2 share a fingerprint: a WHERE that reads no row is reported
                    yield f"{verb} with a constant WHERE: {where.this.sql()[:60]}"
            elif isinstance(tree, exp.Query) and tree.args.get("limit") is None:
                yield from _unbounded(statement.resolution, tree, context)


def _unbounded(resolution: Resolution, tree: exp.Query, context: RuleContext) -> Iterator[str]:
    if isinstance(tree, exp.Select) and _single_row(tree):
        return
    large = context.settings.large_table_rows
    for table in sorted(resolution.tables):
        facts = context.catalogue.table(table)
        if facts is None or facts.rows is None or facts.rows < large:
            continue
        bounded = any(t == table and c in facts.indexed for t, c in resolution.predicates)
        if not bounded:
            yield f"SELECT without LIMIT on large table {table} ({facts.rows} rows)"


def _single_row(select: exp.Select) -> bool:
    """An aggregate without GROUP BY returns one row."""
    return select.args.get("group") is None and all(
        e.find(exp.AggFunc) is not None for e in select.expressions
    )
