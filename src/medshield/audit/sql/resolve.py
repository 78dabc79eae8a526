"""Which tables and columns a parsed statement really reads and writes.

Queries go through sqlglot's ``qualify`` with the catalogue as the schema, so CTEs, subqueries,
UNION branches, aliases and ``SELECT *`` end at base-table columns; views of the catalogue are
expanded in place first. UPDATE, DELETE and INSERT name their target and the columns they set;
the queries inside them are resolved the same way. What cannot be resolved is listed, never
guessed: the caller turns it into a finding.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.optimizer.qualify import qualify
from sqlglot.optimizer.scope import Scope, traverse_scope

from medshield.audit.sql.catalogue import SqlCatalogue
from medshield.audit.sql.resolve_simple import TreeNodes, collect, resolve_simple

Ref = tuple[str, str]  # (table, column)
SYSTEM_SCHEMAS = frozenset(
    {"information_schema", "mysql", "performance_schema", "sys", "pg_catalog", "master", "msdb"}
)
_SYSTEM_PREFIXES = ("pg_", "dba_", "v$", "sqlite_")
_SYSTEM_TABLES = frozenset(
    "sysobjects syscolumns sysusers sysdatabases syslogins sysprocesses all_tables all_users "
    "all_tab_columns all_objects user_tables user_tab_columns user_objects user_users "
    "msysobjects".split()
)


@dataclass
class Resolution:
    reads: set[Ref] = field(default_factory=set)
    writes: set[Ref] = field(default_factory=set)
    tables: set[str] = field(default_factory=set)  # catalogue tables touched
    predicates: set[Ref] = field(default_factory=set)  # columns in WHERE, ON, HAVING
    system: set[str] = field(default_factory=set)  # system catalogues named
    problems: list[str] = field(default_factory=list)


def is_system_table(table: exp.Table) -> bool:
    schema = table.db.lower()
    name = table.name.lower()
    return (
        schema in SYSTEM_SCHEMAS
        or name in SYSTEM_SCHEMAS
        or name in _SYSTEM_TABLES
        or name.startswith(_SYSTEM_PREFIXES)
    )


def resolve(
    tree: exp.Expr, catalogue: SqlCatalogue, dialect: str, nodes: TreeNodes | None = None
) -> Resolution:
    """What ``tree`` reads and writes; ``nodes`` is its ``collect``, when the caller has it."""
    out = Resolution()
    expanded = _expand_views(tree, catalogue, dialect, out)
    if nodes is None or expanded is not tree:
        nodes = collect(expanded)
    tree = expanded
    for table in nodes.tables:
        name = table.name.lower()
        if not name or name in nodes.ctes:
            continue
        if is_system_table(table):
            out.system.add(f"{table.db}.{name}".strip(".").lower())
        elif catalogue.table(name) is None:
            if not isinstance(tree, exp.Create):
                out.problems.append(f"unknown table {name}")
        else:
            out.tables.add(name)
    if out.problems or out.system:
        return out
    if isinstance(tree, exp.Query):
        _query(tree, catalogue, dialect, out, nodes)
    elif isinstance(tree, (exp.Update, exp.Delete, exp.Insert)):
        _dml(tree, catalogue, dialect, out)
    return out


def _expand_views(
    tree: exp.Expr, catalogue: SqlCatalogue, dialect: str, out: Resolution
) -> exp.Expr:
    if not catalogue.views:
        return tree
    tree = tree.copy()
    for table in list(tree.find_all(exp.Table)):
        view = catalogue.views.get(table.name.lower())
        if view is None:
            continue
        try:
            body = sqlglot.parse_one(view, read=dialect)
        except SqlglotError as exc:
            out.problems.append(f"view {table.name} does not parse: {exc}")
            continue
        table.replace(exp.Subquery(this=body, alias=exp.TableAlias(this=table.alias_or_name)))
    return tree


def _query(
    query: exp.Expr,
    catalogue: SqlCatalogue,
    dialect: str,
    out: Resolution,
    nodes: TreeNodes | None = None,
) -> None:
    simple = resolve_simple(query, catalogue, nodes)
    if simple is not None:
        out.reads |= simple[0]
        out.predicates |= simple[1]
        return
    qualified_query(query, catalogue, dialect, out)


def qualified_query(
    query: exp.Expr, catalogue: SqlCatalogue, dialect: str, out: Resolution
) -> None:
    """Resolution through ``qualify`` and its scopes: CTEs, subqueries, UNION, stars."""
    try:
        qualified = qualify(
            query.copy(),
            schema=catalogue.mapping_schema(dialect),
            dialect=dialect,
            validate_qualify_columns=True,
            identify=False,
            quote_identifiers=False,
        )
        scopes = traverse_scope(qualified)
    except SqlglotError as exc:
        out.problems.append(str(exc).splitlines()[0])
        return
    for scope in scopes:
        for column in scope.columns:
            source = scope.sources.get(column.table)
            if isinstance(source, exp.Table):
                ref = (source.name.lower(), column.name.lower())
                out.reads.add(ref)
                if _in_predicate(column):
                    out.predicates.add(ref)
            elif isinstance(source, Scope) and _in_predicate(column):
                traced = _trace(source, column.name)
                if traced is not None:  # a predicate on a view's or CTE's column
                    out.predicates.add(traced)


def _trace(scope: Scope, name: str, depth: int = 0) -> tuple[str, str] | None:
    """The base-table column behind output ``name`` of a derived table, when it is one column."""
    if depth > 8 or not isinstance(scope.expression, exp.Select):
        return None
    for projection in scope.expression.selects:
        if projection.alias_or_name != name:
            continue
        inner = projection.unalias()
        if not isinstance(inner, exp.Column):
            return None
        source = scope.sources.get(inner.table)
        if isinstance(source, exp.Table):
            return (source.name.lower(), inner.name.lower())
        if isinstance(source, Scope):
            return _trace(source, inner.name, depth + 1)
    return None


def _in_predicate(column: exp.Column) -> bool:
    holder = column.find_ancestor(exp.Where, exp.Join, exp.Having, exp.Select, exp.Update)
    return isinstance(holder, (exp.Where, exp.Join, exp.Having))


def _dml(tree: exp.Expr, catalogue: SqlCatalogue, dialect: str, out: Resolution) -> None:
    target = tree.this.this if isinstance(tree.this, exp.Schema) else tree.this
    if isinstance(tree, exp.Delete) and not isinstance(target, exp.Table):
        target = tree.find(exp.Table)
    if not isinstance(target, exp.Table):
        out.problems.append("no target table")
        return
    facts = catalogue.table(target.name)
    assert facts is not None  # checked by resolve
    name = facts.name
    if isinstance(tree, exp.Update):
        set_cols = [e.this for e in tree.expressions if isinstance(e, exp.EQ)]
        out.writes |= {(name, c.name.lower()) for c in set_cols if isinstance(c, exp.Column)}
    elif isinstance(tree, exp.Insert) and isinstance(tree.this, exp.Schema):
        out.writes |= {(name, i.name.lower()) for i in tree.this.expressions}
    else:
        out.writes |= {(name, c) for c in facts.columns}
    where = tree.args.get("where")
    inner = [q for q in tree.find_all(exp.Query) if not q.find_ancestor(exp.Query)]
    for query in inner:
        _query(query, catalogue, dialect, out)
    if where is None:
        return
    for column in where.find_all(exp.Column):
        if column.find_ancestor(exp.Query):
            continue
        col = column.name.lower()
        if col not in facts.columns:
            out.problems.append(f"unknown column {name}.{col}")
            continue
        out.reads.add((name, col))
        out.predicates.add((name, col))
