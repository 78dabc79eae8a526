"""One statement submission analysed once per fingerprint: parsed, resolved, tiered.

A submission is one line; several ``;``-separated statements in it are one stacked submission.
``Analyser.analyse`` returns the cached ``Analysis`` of the submission's fingerprint, so a log
where a few hundred templates repeat runs at the speed of ``fingerprint``. The analysis it keeps
has no parse trees: they are most of its objects, and kept trees are what the cyclic garbage
collector spends its time on (a tree's nodes point at their parents). The rules read the trees
once, from the new analysis; ``Analyser.parsed`` gives them back when the rules run again.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import SqlglotError
from sqlglot.parser import Parser
from sqlglot.tokens import Tokenizer

from medshield.audit.sql.catalogue import SqlCatalogue
from medshield.audit.sql.fingerprint import Fingerprint, fingerprint
from medshield.audit.sql.resolve import Resolution, resolve
from medshield.audit.sql.resolve_simple import TreeNodes, collect
from medshield.errors import AuditError, UnknownDialectError

# Statements sqlglot only half understands (GRANT, CREATE USER) become a ``Command``: the
# audit reads those itself, so sqlglot's notice about them is not shown.
logging.getLogger("sqlglot").setLevel(logging.ERROR)

DIALECTS = {
    "mysql": "mysql",
    "mariadb": "mysql",
    "postgres": "postgres",
    "postgresql": "postgres",
    "oracle": "oracle",
    "tsql": "tsql",
    "sqlserver": "tsql",
    "mssql": "tsql",
    "sqlite": "sqlite",
}


def dialect_of(name: str) -> str:
    """The sqlglot dialect of a name (``mariadb`` -> ``mysql``); unknown names are an error."""
    try:
        return DIALECTS[name.lower()]
    except KeyError:
        known = ", ".join(sorted(DIALECTS))
        raise UnknownDialectError(f"unknown SQL dialect {name!r}; known: {known}") from None


@dataclass(frozen=True)
class StatementTree:
    tree: exp.Expr
    nodes: TreeNodes  # one walk of ``tree``, shared by the resolution and the rules

    def discard(self) -> None:
        """Unlinks every node from its parent, for a tree that is read no more: reference
        counting then frees it when it is dropped. Left to the cyclic collector (a node and its
        parent point at each other), freeing a tree costs a good part of its parse."""
        for node in self.nodes.every:
            node.parent = None


@dataclass(frozen=True)
class StatementFacts:
    kind: str  # the sqlglot class, lower case: select, union, update, delete, insert, command, ...
    query: bool  # an ``exp.Query``: SELECT, UNION, INTERSECT, EXCEPT
    resolution: Resolution
    parsed: StatementTree | None = field(default=None, compare=False, repr=False)  # for the rules

    @property
    def tree(self) -> exp.Expr:
        return self._parsed().tree

    @property
    def nodes(self) -> TreeNodes:
        return self._parsed().nodes

    def _parsed(self) -> StatementTree:
        if self.parsed is None:
            raise AuditError("a kept analysis has no parse trees: Analyser.parsed gives them back")
        return self.parsed


@dataclass(frozen=True)
class Analysis:
    sql: str  # the first submission seen with this fingerprint
    fingerprint: Fingerprint
    dialect: str
    statements: tuple[StatementFacts, ...]
    parse_error: str | None = None
    other_dialects: tuple[str, ...] = ()  # where it parses when it does not in ``dialect``
    # values derived once per analysis by its auditor (the tier), kept beside it
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def parsed(self) -> bool:
        return self.parse_error is None

    @property
    def has_trees(self) -> bool:
        return all(s.parsed is not None for s in self.statements)

    def discard_trees(self) -> None:
        """Frees the parse trees now; only for a new analysis that is read no more."""
        for statement in self.statements:
            if statement.parsed is not None:
                statement.parsed.discard()

    @property
    def kept(self) -> Analysis:
        """The analysis as it is kept: the same facts (and memo) without the parse trees."""
        return self._without_trees if self.statements and self.has_trees else self

    @cached_property
    def _without_trees(self) -> Analysis:  # one copy: a kept analysis never refers to itself
        statements = tuple(StatementFacts(s.kind, s.query, s.resolution) for s in self.statements)
        return Analysis(
            self.sql,
            self.fingerprint,
            self.dialect,
            statements,
            self.parse_error,
            self.other_dialects,
            self.memo,
        )


_STATEMENTS = (
    exp.Query, exp.DML, exp.DDL, exp.Alter, exp.Drop, exp.TruncateTable, exp.Set, exp.Use,
    exp.Transaction, exp.Commit, exp.Rollback, exp.Copy, exp.Describe, exp.Show, exp.Pragma,
    exp.Execute, exp.Analyze, exp.Kill, exp.Grant, exp.Revoke,
)  # fmt: skip
_COMMAND_VERBS = frozenset(
    "grant revoke create alter drop set exec execute call show explain describe use begin commit "
    "rollback declare waitfor lock unlock analyze vacuum comment kill flush rename load handler "
    "do replace prepare deallocate truncate merge optimize repair check checksum reset purge "
    "install uninstall shutdown start stop change backup restore dbcc print go".split()
)


@cache
def _dialect(name: str) -> Dialect:
    return Dialect.get_or_raise(name)


class _Parsers(threading.local):
    """One tokenizer and parser per dialect and thread: ``Dialect.parse`` builds both anew on
    every call, a quarter of a cold statement's parse. Neither is shared between threads."""

    def __init__(self) -> None:
        self.by_dialect: dict[str, tuple[Tokenizer, Parser]] = {}

    def parse(self, sql: str, dialect: str) -> list[exp.Expr | None]:
        found = self.by_dialect.get(dialect)
        if found is None:
            d = _dialect(dialect)
            found = self.by_dialect[dialect] = (d.tokenizer(), d.parser())
        tokenizer, parser = found
        return parser.parse(tokenizer.tokenize(sql), sql)


_PARSERS = _Parsers()


class NotAStatementError(SqlglotError):
    """Text that sqlglot reads as an expression or an unknown command, not a statement."""


def parse_submission(sql: str, dialect: str) -> list[exp.Expr]:
    """The statements of one submission; anything that is not a statement is a parse error."""
    trees = [t for t in _PARSERS.parse(sql, dialect) if t is not None]
    for tree in trees:
        if isinstance(tree, exp.Command):
            if tree.name.lower() not in _COMMAND_VERBS:
                raise NotAStatementError(f"unknown statement {tree.name!r}")
        elif not isinstance(tree, _STATEMENTS):
            raise NotAStatementError(f"not a statement: {tree.sql()[:60]!r}")
    return trees


def analyse(sql: str, catalogue: SqlCatalogue, dialect: str, fp: Fingerprint) -> Analysis:
    try:
        trees = parse_submission(sql, dialect)
    except (SqlglotError, RecursionError, ValueError) as exc:
        message = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        others = tuple(
            d for d in ("mysql", "postgres", "tsql", "oracle") if _parses(sql, d, dialect)
        )
        return Analysis(sql, fp, dialect, (), message, others)
    return Analysis(sql, fp, dialect, tuple(_facts(t, catalogue, dialect) for t in trees))


def _facts(tree: exp.Expr, catalogue: SqlCatalogue, dialect: str) -> StatementFacts:
    nodes = collect(tree)
    resolution = resolve(tree, catalogue, dialect, nodes)
    return StatementFacts(
        tree.key.lower(), isinstance(tree, exp.Query), resolution, StatementTree(tree, nodes)
    )


def _parses(sql: str, other: str, dialect: str) -> bool:
    if other == dialect:
        return False
    try:
        return bool(parse_submission(sql, other))
    except (SqlglotError, RecursionError, ValueError):
        return False


class Analyser:
    """Analyses per fingerprint, the most recent ``size`` kept (constant memory on any log)."""

    def __init__(self, catalogue: SqlCatalogue, dialect: str, *, size: int = 4096) -> None:
        self.catalogue = catalogue
        self.dialect = dialect_of(dialect)
        self.size = size
        self._cache: OrderedDict[str, Analysis] = OrderedDict()

    def analyse(self, sql: str) -> Analysis:
        """The analysis of ``sql``'s fingerprint: a new one with its parse trees, a kept one
        without them."""
        fp = fingerprint(sql)
        found = self._cache.get(fp.digest)
        if found is not None:
            return found
        found = analyse(sql, self.catalogue, self.dialect, fp)
        self._cache[fp.digest] = found.kept
        if len(self._cache) > self.size:
            self._cache.popitem(last=False)
        return found

    def parsed(self, analysis: Analysis) -> Analysis:
        """``analysis`` with its parse trees: itself, or its statement analysed again."""
        if analysis.has_trees:
            return analysis
        return analyse(analysis.sql, self.catalogue, analysis.dialect, analysis.fingerprint)
