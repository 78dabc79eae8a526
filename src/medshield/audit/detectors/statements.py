"""What a logged statement does, read with sqlglot: its verb, tables, WHERE, and export.

Export means ``COPY ... TO`` (PostgreSQL) or ``SELECT ... INTO OUTFILE|DUMPFILE`` (MySQL, which
sqlglot's parser does not take: its tokenizer does). Results are cached: logs repeat statements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import sqlglot
from sqlglot import TokenType, exp
from sqlglot.errors import SqlglotError


@dataclass(frozen=True, slots=True)
class StatementInfo:
    verb: str  # SELECT, DELETE, UPDATE, INSERT, COPY, TRUNCATE, ... ; UNKNOWN when unparsed
    tables: tuple[str, ...]
    has_where: bool
    export: str | None  # "copy_to", "into_outfile" or None


_VERBS: tuple[tuple[type[exp.Expression], str], ...] = (
    (exp.Delete, "DELETE"),
    (exp.Update, "UPDATE"),
    (exp.Insert, "INSERT"),
    (exp.Copy, "COPY"),
    (exp.TruncateTable, "TRUNCATE"),
    (exp.Select, "SELECT"),
    (exp.Union, "SELECT"),
)


# Literals do not change what a statement does: statements that differ only in them share one
# parse (the cache key), so a log of a million statements costs a few thousand parses. Strings
# become '' and then numbers 0 (not in a name, after a dot or a $): two plain substitutions,
# each skipping to its first character, give what one pass over both would.
_STRINGS = re.compile(r"'(?:[^'\\]|\\.|'')*'")
_NUMBERS = re.compile(r"\d(?<![\w.$]\d)\d*(?:\.\d+)?(?![\w.])")


def classify_statement(sql: str, dialect: str = "postgres") -> StatementInfo:
    """The :class:`StatementInfo` of the first statement of ``sql``."""
    return _classify(literals_blanked(sql) if len(sql) < 20_000 else sql, dialect)


def literals_blanked(sql: str) -> str:
    """``sql`` with its string literals ``''`` and its numbers ``0``."""
    return _NUMBERS.sub("0", _STRINGS.sub("''", sql))


def mentions_export(sql: str) -> bool:
    """Whether ``sql`` may export (COPY, INTO OUTFILE/DUMPFILE): the parser decides the rest."""
    low = sql.lower()
    return "copy" in low or "outfile" in low or "dumpfile" in low


@lru_cache(maxsize=20_000)
def _classify(sql: str, dialect: str) -> StatementInfo:
    outfile = _into_outfile(sql, dialect)
    try:
        tree = sqlglot.parse_one(sql, read=dialect)
    except (SqlglotError, ValueError):
        return StatementInfo("SELECT" if outfile else "UNKNOWN", (), False, outfile)
    verb = next(
        (name for cls, name in _VERBS if isinstance(tree, cls)), type(tree).__name__.upper()
    )
    tables = tuple(sorted({_table_name(t) for t in tree.find_all(exp.Table) if t.name}))
    export = outfile
    if isinstance(tree, exp.Copy) and not tree.args.get("kind"):
        export = "copy_to"
    return StatementInfo(verb, tables, tree.args.get("where") is not None, export)


def _table_name(table: exp.Table) -> str:
    return f"{table.db}.{table.name}" if table.db else table.name


def _into_outfile(sql: str, dialect: str) -> str | None:
    if "into" not in sql.lower():
        return None
    try:
        tokens = sqlglot.tokenize(sql, read=dialect if dialect != "postgres" else "mysql")
    except (SqlglotError, ValueError):
        return None
    for this, after in zip(tokens, tokens[1:], strict=False):
        if this.token_type is TokenType.INTO and after.text.upper() in ("OUTFILE", "DUMPFILE"):
            return "into_outfile"
    return None
