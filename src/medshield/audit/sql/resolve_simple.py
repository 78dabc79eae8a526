"""Resolution of a simple SELECT without ``qualify``: the common case of application logs.

Simple means one SELECT over catalogued tables, with no CTE, subquery, UNION or star. Each
column is then found by its table qualifier or, unqualified, in the one table that has it. Any
doubt (an unknown name, an ambiguous column) returns None, and ``qualify`` decides and reports.
The result equals ``qualify``'s on simple statements (tested on the HIS workload); it costs a
tenth as much.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlglot import exp

from medshield.audit.sql.catalogue import SqlCatalogue, TableFacts
from medshield.audit.sql.predicates import OPERATORS

Ref = tuple[str, str]
_NOT_SIMPLE = (exp.Subquery, exp.Star, exp.Lateral, exp.Unnest, exp.With, exp.Union, exp.CTE)


@dataclass
class TreeNodes:
    """What one walk of a statement finds, for the resolution and the rules alike: its tables,
    CTE names, columns, SELECTs, whether it is more than one plain SELECT, and the nodes the
    injection signs read (operators, conditions, UNIONs, hex literals)."""

    tables: list[exp.Table] = field(default_factory=list)
    ctes: set[str] = field(default_factory=set)
    columns: list[exp.Column] = field(default_factory=list)
    selects: int = 0
    nested: bool = False  # a subquery, star, CTE, UNION, LATERAL or UNNEST
    operators: list[exp.Expr] = field(default_factory=list)  # ``predicates.OPERATORS``
    conditions: list[exp.Expr] = field(default_factory=list)  # of WHERE, HAVING, JOIN ... ON
    unions: list[exp.Union] = field(default_factory=list)
    hexes: bool = False
    ors: bool = False  # an OR anywhere in the statement
    every: list[exp.Expr] = field(default_factory=list)  # every node, in the order of ``walk``


# What a node is to ``collect``, found once per node class rather than by a chain of
# ``isinstance`` on every node: the walk is most of the work after the parse.
_COLUMN, _TABLE, _SELECT, _NESTED, _OPERATOR, _CONDITION, _JOIN, _HEX, _OR, _OTHER = range(10)
_LEAF = 10
_KINDS: dict[type, int] = {}
# Nodes without child nodes, of no use to ``collect`` but listed. Half the nodes of a statement
# are identifiers and literals.
_LEAVES = frozenset({exp.Identifier, exp.Literal, exp.Null, exp.Boolean, exp.Var})


def _kind(cls: type) -> int:
    if cls in _LEAVES:
        return _LEAF
    for kind, classes in (
        (_COLUMN, exp.Column),
        (_TABLE, exp.Table),
        (_SELECT, exp.Select),
        (_OPERATOR, OPERATORS),
        (_CONDITION, (exp.Where, exp.Having)),
        (_JOIN, exp.Join),
        (_HEX, exp.HexString),
        (_OR, exp.Or),
        (_NESTED, _NOT_SIMPLE),
    ):
        if issubclass(cls, classes):
            return kind
    return _OTHER


def collect(tree: exp.Expr) -> TreeNodes:
    """One breadth-first walk of ``tree``, in the order of ``Expr.walk``. The walk is written
    here: sqlglot's generators cost more than the rest of the work on each node."""
    nodes = TreeNodes()
    kinds = _KINDS
    every = nodes.every
    every.append(tree)
    queued = every.append
    for node in every:  # grows while it is read: breadth first
        cls = type(node)
        kind = kinds.get(cls)
        if kind is None:
            kind = kinds[cls] = _kind(cls)
        if kind == _LEAF:
            continue
        for value in node.args.values():
            if type(value) is list:
                for item in value:
                    if isinstance(item, exp.Expr):
                        queued(item)
            elif isinstance(value, exp.Expr):
                queued(value)
        if kind == _OTHER:
            continue
        if kind == _COLUMN:
            nodes.columns.append(node)  # type: ignore[arg-type]
        elif kind == _TABLE:
            nodes.tables.append(node)  # type: ignore[arg-type]
        elif kind == _OPERATOR:
            nodes.operators.append(node)
        elif kind == _SELECT:
            nodes.selects += 1
        elif kind == _CONDITION:
            nodes.conditions.append(node.this)
        elif kind == _JOIN:
            on = node.args.get("on")
            if on is not None:
                nodes.conditions.append(on)
        elif kind == _HEX:
            nodes.hexes = True
        elif kind == _OR:
            nodes.ors = True
        else:
            nodes.nested = True
            if isinstance(node, exp.CTE):
                nodes.ctes.add(node.alias_or_name.lower())
            elif isinstance(node, exp.Union):
                nodes.unions.append(node)
    return nodes


def resolve_simple(
    select: exp.Expr, catalogue: SqlCatalogue, nodes: TreeNodes | None = None
) -> tuple[set[Ref], set[Ref]] | None:
    """``(reads, predicate columns)`` of a simple SELECT, or None when it is not simple."""
    if not isinstance(select, exp.Select):
        return None
    nodes = nodes if nodes is not None else collect(select)
    if nodes.nested or nodes.selects != 1:
        return None
    sources: dict[str, TableFacts] = {}
    for table in nodes.tables:
        facts = catalogue.table(table.name)
        if facts is None or table.db:
            return None
        sources[table.alias_or_name.lower()] = facts
    tables = list({id(f): f for f in sources.values()}.values())
    aliases = {e.alias.lower() for e in select.expressions if isinstance(e, exp.Alias)}
    reads: set[Ref] = set()
    predicates: set[Ref] = set()
    for column in nodes.columns:
        name = column.name.lower()
        if column.table:
            owner = sources.get(column.table.lower())
            if owner is None or name not in owner.columns:
                return None
        else:
            owners = [t for t in tables if name in t.columns]
            if len(owners) != 1:
                if not owners and name in aliases:
                    continue
                return None
            owner = owners[0]
        ref = (owner.name, name)
        reads.add(ref)
        holder = column.find_ancestor(exp.Where, exp.Join, exp.Having, exp.Select)
        if isinstance(holder, (exp.Where, exp.Join, exp.Having)):
            predicates.add(ref)
    return reads, predicates
