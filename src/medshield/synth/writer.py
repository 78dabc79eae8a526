"""Writing an institution's tables: SQLite through sqlite3, PostgreSQL with COPY, MariaDB/MySQL
with batched multi-row INSERTs. Tables are dropped and made anew, so a rebuild replaces them."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pymysql
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from medshield.errors import InputError, ServiceUnavailableError, StoreError
from medshield.synth.schema import INDEXES, PRIMARY_KEYS, TableSpec
from medshield.synth.styles import VendorStyle

SQLITE_TYPES = {"int": "INTEGER", "text": "TEXT", "date": "DATE", "datetime": "DATETIME"}
SQLITE_TYPES |= {"money": "NUMERIC(12,2)", "float": "REAL"}
DATABASE_ERRORS = (sqlite3.Error, SQLAlchemyError, psycopg.Error, pymysql.Error)


def sa_type(sql: str) -> sa.types.TypeEngine[Any]:
    if sql.startswith("str:"):
        return sa.String(int(sql[4:]))
    types: dict[str, sa.types.TypeEngine[Any]] = {
        "int": sa.Integer(),
        "text": sa.Text(),
        "date": sa.Date(),
        "datetime": sa.DateTime(),
        "money": sa.Numeric(12, 2),
        "float": sa.Float(),
    }
    return types[sql]


def public_url(url: str) -> str:
    """The URL with any password hidden (what manifests and ground truth record)."""
    return make_url(url).render_as_string(hide_password=True)


class TableWriter:
    """Creates and fills tables in one database; use ``open_writer``."""

    def __init__(self, url: str, prefix: str = "") -> None:
        self.url = url
        self.prefix = prefix
        self.dialect = make_url(url).get_backend_name()

    def physical(self, table: TableSpec, style: VendorStyle, suffix: str = "") -> str:
        return self.prefix + style.table_name(table) + suffix

    @staticmethod
    def indexed(table: TableSpec, style: VendorStyle, suffix: str) -> list[str]:
        """Physical columns to index: live tables of vendors that index (archives never)."""
        if suffix or not style.indexes:
            return []
        return [style.column_name(table.column(k)) for k in INDEXES.get(table.key, ())]

    def write(
        self, table: TableSpec, style: VendorStyle, columns: dict[str, list[Any]], suffix: str = ""
    ) -> int:
        raise NotImplementedError  # each database kind below has its own


class SqliteWriter(TableWriter):
    def __init__(self, url: str, prefix: str = "") -> None:
        super().__init__(url, prefix)
        path = Path(make_url(url).database or "")
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=OFF")
        self.conn.execute("PRAGMA synchronous=OFF")
        self.conn.execute("BEGIN")

    def write(
        self, table: TableSpec, style: VendorStyle, columns: dict[str, list[Any]], suffix: str = ""
    ) -> int:
        name = self.physical(table, style, suffix)
        self.conn.execute(f'DROP TABLE IF EXISTS "{name}"')
        self.conn.execute(sqlite_ddl(name, table, style))
        names = [style.column_name(c) for c in table.columns]
        marks = ", ".join("?" for _ in names)
        quoted = ", ".join(f'"{n}"' for n in names)
        count = len(columns[table.columns[0].key])
        rows = zip(*(columns[c.key] for c in table.columns), strict=True)
        self.conn.executemany(f'INSERT INTO "{name}" ({quoted}) VALUES ({marks})', rows)  # noqa: S608
        for column in self.indexed(table, style, suffix):
            self.conn.execute(f'CREATE INDEX "ix_{name}_{column}" ON "{name}" ("{column}")')
        return count

    def close(self) -> None:
        self.conn.execute("COMMIT")
        self.conn.close()


def sqlite_ddl(name: str, table: TableSpec, style: VendorStyle) -> str:
    """CREATE TABLE with the Chinese comments inline (SQLite keeps the text in sqlite_master)."""
    key = PRIMARY_KEYS.get(table.key)
    lines = []
    for i, c in enumerate(table.columns):
        sql = f"VARCHAR({c.sql[4:]})" if c.sql.startswith("str:") else SQLITE_TYPES[c.sql]
        line = f'  "{style.column_name(c)}" {sql}{" PRIMARY KEY" if c.key == key else ""}'
        line += "," if i < len(table.columns) - 1 else ""
        lines.append(line + (f" -- {c.zh}" if style.comments else ""))
    head = f'CREATE TABLE "{name}" (' + (f" -- {table.zh}" if style.comments else "")
    return "\n".join([head, *lines, ")"])


class ServerWriter(TableWriter):
    """PostgreSQL or MariaDB/MySQL through SQLAlchemy (DDL with comments) and the raw driver."""

    def __init__(self, url: str, prefix: str = "") -> None:
        super().__init__(url, prefix)
        self.engine = sa.create_engine(url)
        self.conn = self.engine.connect()  # one transaction for the whole database

    def _table(self, table: TableSpec, style: VendorStyle, suffix: str) -> sa.Table:
        key = PRIMARY_KEYS.get(table.key)
        columns = [
            sa.Column(
                style.column_name(c),
                sa_type(c.sql),
                primary_key=c.key == key,
                autoincrement=False,
                comment=c.zh if style.comments else None,
            )
            for c in table.columns
        ]
        return sa.Table(
            self.physical(table, style, suffix),
            sa.MetaData(),
            *columns,
            comment=table.zh if style.comments else None,
            mysql_charset="utf8mb4",
            mysql_engine="InnoDB",
        )

    def write(
        self, table: TableSpec, style: VendorStyle, columns: dict[str, list[Any]], suffix: str = ""
    ) -> int:
        target = self._table(table, style, suffix)
        target.drop(self.conn, checkfirst=True)
        target.create(self.conn)
        rows = list(zip(*(columns[c.key] for c in table.columns), strict=True))
        names = [style.column_name(c) for c in table.columns]
        cursor = self.conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        if self.dialect == "postgresql":
            _copy(cursor, target.name, names, rows)
        else:
            quoted = ", ".join(f"`{n}`" for n in names)
            marks = ", ".join("%s" for _ in names)
            sql = f"INSERT INTO `{target.name}` ({quoted}) VALUES ({marks})"  # noqa: S608
            for start in range(0, len(rows), 5000):
                cursor.executemany(sql, rows[start : start + 5000])
        cursor.close()
        for column in self.indexed(table, style, suffix):
            sa.Index(f"ix_{target.name}_{column}", target.c[column]).create(self.conn)
        return len(rows)

    def close(self) -> None:
        try:
            self.conn.commit()
        finally:
            self.conn.close()
            self.engine.dispose()


def _copy(cursor: Any, table: str, names: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    quoted = ", ".join(f'"{n}"' for n in names)
    with cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)


SUPPORTED = ("sqlite", "postgresql", "mysql", "mariadb")


def check_url(url: str) -> None:
    """An ``InputError`` unless ``url`` is a database URL of a kind the generator writes."""
    try:
        backend = make_url(url).get_backend_name()
    except SQLAlchemyError:
        raise InputError("not a database URL", where=url.split("@")[-1]) from None
    if backend not in SUPPORTED:
        raise InputError(
            f"unsupported database kind {backend!r}; use one of {', '.join(SUPPORTED)}",
            where=public_url(url),
        )


def ensure_database(url: str) -> None:
    """Create the database named in ``url`` on its server when it does not exist yet."""
    parsed = make_url(url)
    backend, name = parsed.get_backend_name(), parsed.database
    if backend == "sqlite" or not name:
        return
    admin_db = "postgres" if backend == "postgresql" else None
    admin = sa.create_engine(parsed._replace(database=admin_db), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if backend == "postgresql":
                found = conn.execute(
                    sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
                ).first()
                if not found:
                    conn.execute(sa.text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8'"))
            else:
                conn.execute(
                    sa.text(f"CREATE DATABASE IF NOT EXISTS `{name}` CHARACTER SET utf8mb4")
                )
    except SQLAlchemyError as exc:
        raise ServiceUnavailableError(
            f"cannot create database {name!r}: {getattr(exc, 'orig', None) or exc}",
            where=public_url(url),
        ) from None
    finally:
        admin.dispose()


@contextmanager
def open_writer(url: str, prefix: str = "") -> Iterator[TableWriter]:
    """A writer for the database at ``url``; server errors become medshield errors."""
    check_url(url)
    backend = make_url(url).get_backend_name()
    try:
        writer: SqliteWriter | ServerWriter
        writer = SqliteWriter(url, prefix) if backend == "sqlite" else ServerWriter(url, prefix)
    except DATABASE_ERRORS as exc:
        raise StoreError(f"cannot open database: {exc}", where=public_url(url)) from None
    try:
        yield writer
    except DATABASE_ERRORS as exc:
        raise StoreError(f"writing failed: {exc}", where=public_url(url)) from None
    finally:
        writer.close()
