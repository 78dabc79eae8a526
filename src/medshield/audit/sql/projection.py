"""Where each output column of a query comes from: sqlglot's lineage down to base-table columns,
and the data element the catalogue gives them (what dynamic masking needs).

An output column built from several sources takes the element of the highest level; one with no
catalogued source (a constant, ``COUNT(*)``) has none, and masking treats it fail-closed.
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.lineage import lineage
from sqlglot.optimizer.qualify import qualify

from medshield.audit.sql.catalogue import ColumnFacts, SqlCatalogue
from medshield.elements.levels import Level


def output_elements(sql: str, catalogue: SqlCatalogue, dialect: str) -> dict[str, str | None]:
    """``output column -> element`` (None when unknown) of a SELECT, in projection order."""
    try:
        tree = qualify(
            sqlglot.parse_one(sql, read=dialect),
            schema=catalogue.mapping_schema(dialect),
            dialect=dialect,
            identify=False,
            quote_identifiers=False,
        )
    except SqlglotError:
        return {}
    if not isinstance(tree, exp.Query):
        return {}
    out: dict[str, str | None] = {}
    for select in tree.selects:
        name = select.alias_or_name
        try:
            node = lineage(name, tree, schema=catalogue.schema, dialect=dialect)
        except (SqlglotError, KeyError, ValueError):
            out[name] = None
            continue
        facts: list[ColumnFacts] = []
        for leaf in node.walk():
            if leaf.downstream or not isinstance(leaf.expression, exp.Table):
                continue
            table = catalogue.table(leaf.expression.name)
            column = leaf.name.rpartition(".")[2].strip('"`')
            if table is not None and column in table.columns:
                facts.append(table.columns[column])
        known = [f for f in facts if f.element]
        best = max(known, key=lambda f: f.level or Level.PUBLIC, default=None)
        out[name] = best.element if best else None
    return out
