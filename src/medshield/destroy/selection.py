"""Which rows to destroy: a checked SQL predicate or an age limit on a date column."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlglot
from sqlalchemy import ColumnElement, Table, text
from sqlglot import exp
from sqlglot.errors import ParseError

from medshield.errors import InputError

_DIALECTS = {"sqlite": "sqlite", "postgresql": "postgres", "mysql": "mysql", "mariadb": "mysql"}
# A destruction predicate only reads: anything that writes or calls out is refused.
_FORBIDDEN = (exp.DML, exp.DDL, exp.Command, exp.Anonymous)


@dataclass(frozen=True)
class Selection:
    """The rows of ``table`` to destroy: ``where`` and/or older than ``older_than_days``."""

    table: str
    where: str | None = None
    older_than_days: int | None = None
    date_column: str | None = None

    def __post_init__(self) -> None:
        if self.where is None and self.older_than_days is None:
            raise InputError("give --where or --older-than: refusing to destroy a whole table")
        if self.older_than_days is not None:
            if self.older_than_days < 0:
                raise InputError("--older-than must be 0 or more days")
            if not self.date_column:
                raise InputError("--older-than needs --date-column", where=self.table)

    def describe(self, now: datetime) -> str:
        parts = []
        if self.where is not None:
            parts.append(f"({self.where})")
        if self.older_than_days is not None:
            parts.append(f"{self.date_column} < '{self.cutoff(now).isoformat()}'")
        return " AND ".join(parts)

    def cutoff(self, now: datetime) -> datetime:
        assert self.older_than_days is not None
        return now - timedelta(days=self.older_than_days)


def check_where(where: str, dialect: str) -> str:
    """``where`` if it parses as one read-only condition in ``dialect``; else an InputError."""
    read = _DIALECTS.get(dialect, dialect)
    try:
        # Parsed to be checked, never executed as this string.
        tree = sqlglot.parse_one(f"SELECT 1 FROM t WHERE {where}", read=read)  # noqa: S608
    except ParseError as exc:
        raise InputError(f"cannot parse --where: {exc.errors[0]['description']}") from None
    if not isinstance(tree, exp.Select) or tree.args.get("where") is None:
        raise InputError("--where must be one condition", where=where)
    if tree.find(*_FORBIDDEN) is not None or ";" in where:
        raise InputError("--where may only compare columns and values", where=where)
    return where


def predicate(
    table: Table, selection: Selection, dialect: str, now: datetime
) -> ColumnElement[bool]:
    """The SQLAlchemy condition selecting the rows of ``selection`` in ``table``."""
    conditions: list[ColumnElement[bool]] = []
    if selection.where is not None:
        # Colons are escaped so that text() does not read ``':x'`` as a bind parameter.
        sql = check_where(selection.where, dialect).replace(":", "\\:")
        conditions.append(text(sql).self_group())  # type: ignore[arg-type]
    if selection.older_than_days is not None:
        column = selection.date_column or ""
        if column not in table.c:
            raise InputError(f"no column {column!r}", where=table.name)
        cutoff = selection.cutoff(now)
        if now.tzinfo is not None:
            cutoff = cutoff.astimezone(UTC).replace(tzinfo=None)  # columns hold naive UTC
        conditions.append(table.c[column] < cutoff)
    first, *rest = conditions
    for condition in rest:
        first = first & condition
    return first
