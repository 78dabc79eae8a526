"""Running one audited SELECT read-only under its tier's time limit, with a row cap.

PostgreSQL: ``SET TRANSACTION READ ONLY`` and ``SET LOCAL statement_timeout``. MariaDB:
``max_statement_time`` in a read-only transaction; MySQL: ``max_execution_time``. Behind these, a
watchdog (``watchdog.py``) stops the statement from a second connection (``pg_cancel_backend`` /
``KILL QUERY``) ``grace`` seconds after the limit, for a server or proxy that ignores the session
setting; with ``server_limit=False`` (policy ``sql.server_limits: false``) the watchdog alone
enforces the limit, at the limit. SQLite: a progress handler aborts the statement once its time
is up (no thread per statement), on a connection in ``query_only`` mode: an engine that only ever
reads (``read_only_sqlite``) keeps every connection in it, others switch it on around the
statement. An ad-hoc statement goes to the driver's own cursor unchanged
(no parameter formatting, so ``LIKE '13%'`` stays as written); a declared statement with
``params`` (``:name`` placeholders) is compiled once to the driver's parameter style and bound.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from weakref import WeakKeyDictionary, WeakSet

from sqlalchemy import Engine, event, text
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import Pool

from medshield.audit.sql.watchdog import Watchdog, backend_id
from medshield.errors import (
    QueryFailedError,
    QueryKilledError,
    QueryTimeoutError,
    UnknownDialectError,
)

# Errors that mean "stopped by the time limit": PostgreSQL 57014, MariaDB 1969, MySQL 3024.
_TIMEOUT_MARKERS = ("57014", "canceling statement due to statement timeout", "max_statement_time",
                    "1969", "3024", "maximum statement execution time", "interrupted")  # fmt: skip


@dataclass(frozen=True)
class Fetched:
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    truncated: bool


# SQLite calls the progress handler every this many virtual-machine instructions.
_SQLITE_CHECK_EVERY = 10_000
# Set in a pooled connection's ``info`` when the connection stays in query_only mode.
_QUERY_ONLY = "medshield.query_only"


# Engines made read-only by ``read_only_sqlite``, and the connections of their pools kept out
# of the pool for ``run_read_only``: a checkout and check-in of the pool cost more than many a
# statement. Each is taken off the pool once (``detach``), used by one statement at a time and
# kept for the next. ``dispose`` closes them; those of a pool an engine replaced without it
# close when that pool is collected. (No engine event: a connection event would slow every
# statement the engine's other users run.)
_READ_ONLY: WeakSet[Engine] = WeakSet()
_KEPT: WeakKeyDictionary[Pool, list[Any]] = WeakKeyDictionary()


def read_only_sqlite(engine: Engine) -> Engine:
    """``engine`` (SQLite) with every connection it opens held in ``query_only`` mode for its
    life, so a statement need not switch it on and off (which makes SQLite prepare the
    statement again). For engines that only ever read."""

    @event.listens_for(engine, "connect")
    def _query_only(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.execute("PRAGMA query_only = ON")
        record.info[_QUERY_ONLY] = True

    _READ_ONLY.add(engine)
    return engine


def dispose(engine: Engine) -> None:
    """``engine.dispose()``, the connections ``run_read_only`` kept for it closed first."""
    for raw in _KEPT.pop(engine.pool, ()):
        raw.close()
    engine.dispose()


def _run_kept(
    engine: Engine, kept: list[Any], sql: str, seconds: float, cap: int,
    params: Mapping[str, Any] | None,
) -> Fetched:  # fmt: skip
    """``_run`` on a kept connection of a read-only SQLite engine (a new one when none is free:
    as many are kept as statements ever ran at once)."""
    try:
        raw = kept.pop()  # atomic: no two threads get the same connection
    except IndexError:
        pooled = engine.raw_connection()
        pooled.detach()
        raw = pooled.dbapi_connection
    try:
        return _run(raw, "sqlite", engine, sql, seconds, cap, params, False, query_only_held=True)
    finally:
        raw.rollback()
        kept.append(raw)


def run_read_only(
    engine: Engine, sql: str, *, seconds: float, row_cap: int, where: str,
    params: Mapping[str, Any] | None = None, server_limit: bool = True, grace: float = 1.0,
) -> Fetched:  # fmt: skip
    kind = engine.dialect.name
    if kind not in {"postgresql", "mysql", "mariadb", "sqlite"}:
        raise UnknownDialectError(f"the query service does not run on {kind!r} yet", where=where)
    watchdog: Watchdog | None = None
    try:
        if engine in _READ_ONLY:
            kept = _KEPT.get(engine.pool)
            if kept is None:
                kept = _KEPT.setdefault(engine.pool, [])
            return _run_kept(engine, kept, sql, seconds, row_cap, params)
        pooled = engine.raw_connection()  # the driver's connection, straight from the pool
        try:
            raw = pooled.dbapi_connection
            assert raw is not None
            try:
                if kind == "sqlite":
                    held = bool(pooled.info.get(_QUERY_ONLY))
                    return _run(raw, kind, engine, sql, seconds, row_cap, params, server_limit,
                                query_only_held=held)  # fmt: skip
                backend = backend_id(raw, kind)
                after = seconds + grace if server_limit else seconds
                with Watchdog(engine, kind, backend, after) as watchdog:
                    return _run(raw, kind, engine, sql, seconds, row_cap, params, server_limit)
            finally:
                raw.rollback()
                if kind in {"mysql", "mariadb"}:
                    _reset_mysql(raw)
        finally:
            pooled.close()
    except SQLAlchemyError as exc:  # the pool or the connection itself
        raise QueryFailedError(_first_line(exc), where=where) from None
    except Exception as exc:
        text = f"{getattr(exc, 'sqlstate', '')} {exc}"
        if watchdog is not None and watchdog.fired:
            raise QueryKilledError(
                f"the server did not stop it at the tier's limit of {seconds:g} s: stopped by "
                f"{watchdog.method} after {watchdog.seconds:g} s",
                where=where,
            ) from None
        if any(marker in text for marker in _TIMEOUT_MARKERS):
            raise QueryTimeoutError(
                f"stopped after the tier's limit of {seconds:g} s", where=where
            ) from None
        if type(exc).__module__.split(".")[0] in {"psycopg", "pymysql", "sqlite3", "MySQLdb"}:
            raise QueryFailedError(_first_line(exc), where=where) from None
        raise


def _run(
    raw: Any, kind: str, engine: Engine, sql: str, seconds: float, cap: int,
    params: Mapping[str, Any] | None, server_limit: bool, query_only_held: bool = False,
) -> Fetched:  # fmt: skip
    """``query_only_held``: a SQLite connection already held in query_only mode."""
    cursor = raw.cursor()
    timed = switched = False
    try:
        if kind == "postgresql":
            cursor.execute("SET TRANSACTION READ ONLY")
            if server_limit:
                cursor.execute(f"SET LOCAL statement_timeout = {max(1, int(seconds * 1000))}")
        elif kind in {"mysql", "mariadb"}:
            cursor.execute("SET SESSION TRANSACTION READ ONLY")
            cursor.execute("START TRANSACTION READ ONLY")
            if server_limit and _is_mariadb(engine):
                cursor.execute(f"SET SESSION max_statement_time = {seconds:.3f}")
            elif server_limit:
                cursor.execute(f"SET SESSION max_execution_time = {max(1, int(seconds * 1000))}")
        else:  # sqlite: no server-side limit, so the statement checks its own clock
            if not query_only_held:
                cursor.execute("PRAGMA query_only = ON")
                switched = True
            deadline = time.monotonic() + seconds
            raw.set_progress_handler(lambda: time.monotonic() > deadline, _SQLITE_CHECK_EVERY)
            timed = True
        if params is None:
            cursor.execute(sql)
        else:
            statement, names = _bound(sql, engine.dialect)
            cursor.execute(statement, [params[n] for n in names] if names else dict(params))
        columns = tuple(d[0] for d in cursor.description or ())
        rows = cursor.fetchmany(cap + 1)
        if rows and type(rows[0]) is not tuple:  # a driver's own row type
            rows = [tuple(r) for r in rows]
        return Fetched(columns, rows[:cap], len(rows) > cap)
    finally:
        if timed:
            raw.set_progress_handler(None, 0)
        if switched:
            cursor.execute("PRAGMA query_only = OFF")
        cursor.close()


@lru_cache(maxsize=1024)
def _bound(sql: str, dialect: Dialect) -> tuple[str, tuple[str, ...] | None]:
    """A ``:name`` statement in the driver's parameter style; the names in order when the
    style is positional (SQLite's ``?``), else None (named: bind a mapping)."""
    compiled = text(sql).compile(dialect=dialect)
    return compiled.string, tuple(compiled.positiontup or ()) if compiled.positional else None


def _is_mariadb(engine: Engine) -> bool:
    return engine.dialect.name == "mariadb" or bool(getattr(engine.dialect, "is_mariadb", False))


def _reset_mysql(raw: Any) -> None:
    cursor = raw.cursor()
    try:
        cursor.execute("SET SESSION TRANSACTION READ WRITE")
        try:
            cursor.execute("SET SESSION max_statement_time = 0")
        except Exception:  # noqa: BLE001 - MySQL has no such variable
            cursor.execute("SET SESSION max_execution_time = 0")
    finally:
        cursor.close()


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0][:300] if text else type(exc).__name__
