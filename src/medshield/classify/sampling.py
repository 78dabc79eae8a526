"""Reading a sample of a table's values: read-only, bounded in time, per dialect.

Random sampling orders by the dialect's random function; a statement that runs past the timeout
falls back to the first N rows, so one huge table cannot stall a scan.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Engine, column, func, select, table, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql.elements import ColumnClause

from medshield.classify.scan import TableInfo
from medshield.errors import ClassificationError

MAX_VALUE_CHARS = 200


class Sampling(StrEnum):
    RANDOM = "random"
    FIRST = "first"


@contextmanager
def read_only(engine: Engine, timeout_s: float) -> Iterator[Connection]:
    """A connection in a read-only transaction whose statements stop after ``timeout_s``."""
    with engine.connect() as conn:
        name = engine.dialect.name
        if name == "postgresql":
            conn.execute(text("SET TRANSACTION READ ONLY"))
            conn.execute(text(f"SET LOCAL statement_timeout = {int(timeout_s * 1000)}"))
        elif name in ("mysql", "mariadb"):
            version = str(conn.execute(text("SELECT VERSION()")).scalar() or "")
            if "mariadb" in version.lower():
                conn.execute(text(f"SET SESSION max_statement_time = {float(timeout_s)}"))
            else:
                conn.execute(text(f"SET SESSION max_execution_time = {int(timeout_s * 1000)}"))
            conn.commit()
            conn.execute(text("START TRANSACTION READ ONLY"))
        elif name == "sqlite":
            conn.execute(text("PRAGMA query_only = ON"))
            _sqlite_deadline(conn, timeout_s)
        try:
            yield conn
        finally:
            conn.rollback()
            if name == "sqlite":
                conn.execute(text("PRAGMA query_only = OFF"))
                _sqlite_deadline(conn, None)


def _sqlite_deadline(conn: Connection, timeout_s: float | None) -> None:
    raw: Any = conn.connection.driver_connection
    if not isinstance(raw, sqlite3.Connection):
        return
    if timeout_s is None:
        raw.set_progress_handler(None, 0)
        return
    deadline = time.monotonic() + timeout_s
    raw.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)


def estimate_rows(conn: Connection, info: TableInfo) -> int | None:
    """Rows in the table: the planner's estimate where the dialect keeps one, else a count."""
    name = conn.dialect.name
    try:
        if name == "postgresql":
            qualified = f'"{info.schema}"."{info.name}"' if info.schema else f'"{info.name}"'
            est = conn.execute(
                text("SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(:t)"),
                {"t": qualified},
            ).scalar()
            if est is not None and est >= 0:
                return int(est) if est > 0 else _count(conn, info)
        elif name in ("mysql", "mariadb"):
            est = conn.execute(
                text(
                    "SELECT table_rows FROM information_schema.tables "
                    "WHERE table_schema = DATABASE() AND table_name = :t"
                ),
                {"t": info.name},
            ).scalar()
            if est is not None and int(est) > 10_000:
                return int(est)
        return _count(conn, info)
    except SQLAlchemyError:
        conn.rollback()
        return None


def _count(conn: Connection, info: TableInfo) -> int:
    tbl = table(info.name, schema=info.schema)
    return int(conn.execute(select(func.count()).select_from(tbl)).scalar() or 0)


def sample_table(
    engine: Engine, info: TableInfo, size: int, mode: Sampling, timeout_s: float = 30.0
) -> tuple[int | None, dict[str, list[str]]]:
    """Estimated rows and up to ``size`` sampled values of every column, in read-only
    transactions; a random sample that fails or times out falls back to the first rows."""
    with read_only(engine, timeout_s) as conn:
        rows = estimate_rows(conn, info)
    if size <= 0 or not info.columns:
        return rows, {}
    try:
        with read_only(engine, timeout_s) as conn:
            return rows, _fetch(conn, info, size, mode)
    except SQLAlchemyError as exc:
        if mode is Sampling.RANDOM:
            return sample_table(engine, info, size, Sampling.FIRST, timeout_s)
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        raise ClassificationError(f"cannot sample: {reason}", where=info.qualified) from None


def _fetch(conn: Connection, info: TableInfo, size: int, mode: Sampling) -> dict[str, list[str]]:
    cols: list[ColumnClause[Any]] = [column(c.name) for c in info.columns]
    tbl = table(info.name, *cols, schema=info.schema)
    stmt = select(*cols).select_from(tbl).limit(size)
    if mode is Sampling.RANDOM:
        rand = func.rand() if conn.dialect.name in ("mysql", "mariadb") else func.random()
        stmt = stmt.order_by(rand)
    rows = conn.execute(stmt).fetchall()
    out: dict[str, list[str]] = {c.name: [] for c in info.columns}
    for row in rows:
        for meta, value in zip(info.columns, row, strict=True):
            if value is None or isinstance(value, (bytes, bytearray, memoryview)):
                continue
            out[meta.name].append(str(value)[:MAX_VALUE_CHARS])
    return out
