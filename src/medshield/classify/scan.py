"""Catalogue scan of a source database through SQLAlchemy: structure first, then samples.

The structure of every table (columns, types, comments, indexes, estimated rows) comes from the
inspector and is cheap; values are sampled per table only when the table needs classifying, so an
incremental rescan reads no data of unchanged tables.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Engine, create_engine, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from medshield.errors import ClassificationError, DatabaseUrlError
from medshield.store.existing import database_name, require_existing
from medshield.store.failures import store_failure
from medshield.store.sources import source_url

SYSTEM_SCHEMAS = frozenset(
    {"information_schema", "pg_catalog", "pg_toast", "mysql", "performance_schema", "sys"}
)
DRIVER_HINTS = {
    "oracle": "pip install oracledb",
    "mssql": "pip install pyodbc (and an ODBC driver) or pymssql",
}


@dataclass(frozen=True)
class ColumnInfo:
    """One column as the database describes it, with a sample of its values."""

    name: str
    type: str
    nullable: bool = True
    comment: str | None = None
    primary_key: bool = False
    indexed: bool = False
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableInfo:
    """One table's structure; ``fingerprint`` changes when the structure does."""

    name: str
    schema: str | None = None
    comment: str | None = None
    columns: tuple[ColumnInfo, ...] = ()
    indexes: tuple[tuple[str, ...], ...] = ()
    row_count: int | None = None
    sampled: int = 0

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}" if self.schema else self.name

    @property
    def fingerprint(self) -> str:
        """sha256 over names, types, comments and indexes (not rows, not values)."""
        shape: dict[str, Any] = {
            "table": self.qualified,
            "comment": self.comment,
            "columns": [
                [c.name, c.type, c.nullable, c.comment, c.primary_key] for c in self.columns
            ],
            "indexes": sorted(list(i) for i in self.indexes),
        }
        blob = json.dumps(shape, ensure_ascii=False, sort_keys=True).encode("utf-8")
        return "sha256:" + hashlib.sha256(blob).hexdigest()


@dataclass
class SourceScan:
    """What one scan found in one source."""

    source: str
    dialect: str
    tables: list[TableInfo] = field(default_factory=list)


def safe_url(url: str) -> str:
    """The URL without its password: the source's name in the catalogue and in messages."""
    try:
        make_url(url).port  # noqa: B018 - a port that is not a number fails here
        return database_name(url)
    except (ArgumentError, ValueError):
        raise DatabaseUrlError("malformed database URL", where=url.split("@")[-1]) from None


def open_source(url: str) -> Engine:
    """An engine on a source database, with a clear error when its driver is missing."""
    where = safe_url(url)
    require_existing(url, where)
    try:
        engine = create_engine(source_url(url), pool_pre_ping=True)
    except (NoSuchModuleError, ModuleNotFoundError, ImportError) as exc:
        backend = make_url(url).get_backend_name()
        hint = DRIVER_HINTS.get(backend, "install the SQLAlchemy driver for this database")
        raise ClassificationError(
            f"no driver for {backend!r} databases ({exc}); {hint}", where=where
        ) from None
    except (ArgumentError, ValueError) as exc:
        raise ClassificationError(f"bad database URL: {exc}", where=where) from None
    try:
        with engine.connect():
            pass
    except SQLAlchemyError as exc:
        engine.dispose()
        raise store_failure(exc, where) from None
    return engine


def list_tables(engine: Engine) -> Iterator[TableInfo]:
    """The structure of every user table (no values yet), schema by schema."""
    inspector = inspect(engine)
    for schema in _schemas(engine):
        names = inspector.get_table_names(schema=schema)
        for name in sorted(names):
            yield _describe(inspector, engine, schema, name)


def _schemas(engine: Engine) -> list[str | None]:
    if engine.dialect.name != "postgresql":
        return [None]
    names = inspect(engine).get_schema_names()
    user = [n for n in names if n not in SYSTEM_SCHEMAS and not n.startswith("pg_")]
    default = engine.dialect.default_schema_name
    return [None if n == default else n for n in sorted(user)]


def _describe(inspector: Any, engine: Engine, schema: str | None, name: str) -> TableInfo:
    try:
        comment = inspector.get_table_comment(name, schema=schema).get("text")
    except NotImplementedError:
        comment = None
    pk = set(inspector.get_pk_constraint(name, schema=schema).get("constrained_columns") or [])
    indexes = tuple(
        tuple(c for c in ix.get("column_names") or [] if c)
        for ix in inspector.get_indexes(name, schema=schema)
    )
    indexed = {cols[0] for cols in indexes if cols} | pk
    columns = tuple(
        ColumnInfo(
            name=c["name"],
            type=_type_text(c["type"], engine),
            nullable=bool(c.get("nullable", True)),
            comment=c.get("comment") or None,
            primary_key=c["name"] in pk,
            indexed=c["name"] in indexed,
        )
        for c in inspector.get_columns(name, schema=schema)
    )
    return TableInfo(
        name=name, schema=schema, comment=comment or None, columns=columns, indexes=indexes
    )


def _type_text(sql_type: Any, engine: Engine) -> str:
    try:
        return str(sql_type.compile(dialect=engine.dialect))
    except Exception:  # noqa: BLE001 - an exotic type still gets a name
        return type(sql_type).__name__.upper()


def with_sample(table: TableInfo, rows: int | None, samples: dict[str, list[str]]) -> TableInfo:
    columns = tuple(replace(c, values=tuple(samples.get(c.name, ()))) for c in table.columns)
    taken = max((len(v) for v in samples.values()), default=0)
    return replace(table, columns=columns, row_count=rows, sampled=taken)
