"""Whose rows a statement reads: the institution a table's rows belong to, and whether a
statement keeps to the caller's own.

The alliance holds an institution's rows in two ways. Each member's HIS is its own database
(``ms_his_h2.diagnosis`` names institution ``h2``'s diagnoses, where one server holds several);
the hub's consolidated tables carry the institution of each row in a column (``org_code``). A
read of a consolidated table keeps to the caller's institution only when its WHERE restricts
that column to it: ``org_code = 'h1'`` or ``org_code IN ('h1')`` as a conjunct.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlglot import exp

from medshield.audit.sql.predicates import conjuncts


def schema_institution(
    table: exp.Table, patterns: Iterable[str], known: Iterable[str]
) -> str | None:
    """The institution whose database ``table`` is qualified with (``ms_his_h2`` -> ``h2``)."""
    schema = table.db.lower()
    if not schema:
        return None
    for institution in known:
        for pattern in patterns:
            if schema == pattern.format(institution=institution).lower():
                return institution
    return None


def restricted_to(table: exp.Table, column: str, institution: str) -> bool:
    """Whether the WHERE of the SELECT (or UPDATE/DELETE) reading ``table`` keeps ``column`` of
    that table to ``institution`` alone."""
    holder = table.find_ancestor(exp.Select, exp.Update, exp.Delete)
    where = holder.args.get("where") if holder is not None else None
    if where is None:
        return False
    names = {table.alias_or_name.lower(), table.name.lower()}
    for part in conjuncts(where.this):
        part = part.unnest() if isinstance(part, exp.Paren) else part
        if isinstance(part, exp.EQ):
            left, right = part.this, part.expression
            if isinstance(right, exp.Column):
                left, right = right, left
            values = [right]
        elif isinstance(part, exp.In) and not part.args.get("query"):
            left, values = part.this, part.expressions
        else:
            continue
        if not _names(left, column, names):
            continue
        if values and all(_literal(v) == institution.lower() for v in values):
            return True
    return False


def _names(node: exp.Expr, column: str, tables: set[str]) -> bool:
    return (
        isinstance(node, exp.Column)
        and node.name.lower() == column
        and (not node.table or node.table.lower() in tables)
    )


def _literal(node: exp.Expr) -> str | None:
    return node.name.lower() if isinstance(node, exp.Literal) else None
