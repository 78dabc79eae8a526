"""Target tables of static masking: column types, the staging table and the swap.

A table is written to ``<table>__ms_staging`` and swapped into place in one step at the end, so
the target holds either the old table or the whole new one, never a partial one under its name.
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

import polars as pl
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

STAGING_SUFFIX = "__ms_staging"

_PYTHON_TO_POLARS: dict[type, pl.DataType] = {
    bool: pl.Boolean(),
    int: pl.Int64(),
    float: pl.Float64(),
    decimal.Decimal: pl.Float64(),
    str: pl.String(),
    bytes: pl.Binary(),
    dt.date: pl.Date(),
    dt.datetime: pl.Datetime("us"),
    dt.time: pl.Time(),
}


def staging_name(table: str) -> str:
    return f"{table}{STAGING_SUFFIX}"


def polars_dtype(column: sa.Column[Any]) -> pl.DataType | None:
    """The Polars type a source column reads into; None lets Polars infer it."""
    try:
        python_type = column.type.python_type
    except NotImplementedError:
        return None
    return _PYTHON_TO_POLARS.get(python_type)


def _portable(column: sa.Column[Any], dialect: str) -> sa.types.TypeEngine[Any]:
    """A source column's type as the target dialect can create it."""
    try:
        generic = column.type.as_generic()
    except NotImplementedError:
        return sa.Text()
    if isinstance(generic, sa.String) and not isinstance(generic, sa.Text):
        if generic.length is None and dialect in ("mysql", "mariadb"):
            return sa.String(255) if column.primary_key else sa.Text()
        return sa.String(generic.length)
    return generic


def _from_polars(dtype: pl.DataType) -> sa.types.TypeEngine[Any]:
    if dtype.is_integer():
        return sa.BigInteger()
    if dtype.is_float():
        return sa.Float(53)
    if dtype.is_decimal():
        return sa.Numeric(38, 10)
    if dtype == pl.Boolean:
        return sa.Boolean()
    if dtype == pl.Date:
        return sa.Date()
    if isinstance(dtype, pl.Datetime):
        return sa.DateTime()
    if dtype == pl.Binary:
        return sa.LargeBinary()
    return sa.Text()


def staging_table(source: sa.Table, masked: pl.Schema, kept: set[str], target: Engine) -> sa.Table:
    """The staging table: kept columns keep their type (and key), masked ones take their output's."""
    dialect = target.dialect.name
    columns: list[sa.Column[Any]] = []
    for column in source.columns:
        if column.name in kept:
            columns.append(
                sa.Column(
                    column.name,
                    _portable(column, dialect),
                    primary_key=column.primary_key,
                    autoincrement=False,
                    nullable=column.nullable if not column.primary_key else False,
                )
            )
        else:
            columns.append(sa.Column(column.name, _from_polars(masked[column.name])))
    return sa.Table(staging_name(source.name), sa.MetaData(), *columns)


def drop_if_exists(connection: Connection, name: str) -> None:
    sa.Table(name, sa.MetaData()).drop(connection, checkfirst=True)


def swap_in(connection: Connection, table: str) -> None:
    """Replace ``table`` by its staging table (the caller holds one transaction)."""
    quote = connection.dialect.identifier_preparer.quote
    drop_if_exists(connection, table)
    if connection.dialect.name in ("mysql", "mariadb"):
        statement = f"RENAME TABLE {quote(staging_name(table))} TO {quote(table)}"
    else:
        statement = f"ALTER TABLE {quote(staging_name(table))} RENAME TO {quote(table)}"
    connection.execute(sa.text(statement))
