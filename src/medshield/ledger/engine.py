"""The ledger's connection to its store, with the locks appenders need.

SQLite: a writer starts with ``BEGIN IMMEDIATE`` (one writer across processes, readers go on
under WAL). PostgreSQL: a writer locks the head row with ``SELECT ... FOR UPDATE``.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from medshield.errors import LedgerMissingError
from medshield.store.db import connect, upgrade
from medshield.store.failures import safe_url, store_failure

WRITE = "medshield_ledger_write"
_MIGRATING = threading.Lock()


def ledger_engine(url: str, *, create: bool = True) -> Engine:
    """An engine on ``url`` whose schema holds the ledger tables (migrated when missing).

    With ``create`` False (commands that only read) a store without a ledger is an error, and a
    SQLite store file that does not exist is never made.
    """
    if not create and _missing_sqlite_file(url):
        raise LedgerMissingError("no store here, so no ledger to read", where=safe_url(url))
    engine = connect(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    try:
        present = inspect(engine).has_table("ledger_head")
    except SQLAlchemyError as exc:
        engine.dispose()
        raise store_failure(exc, safe_url(url)) from None
    if not present and not create:
        engine.dispose()
        raise LedgerMissingError("the store holds no ledger", where=safe_url(url))
    if not present:
        with _MIGRATING:  # one migration at a time in this process (Alembic is not re-entrant)
            if not inspect(engine).has_table("ledger_head"):
                engine.dispose()
                upgrade(url)
    return engine


def _missing_sqlite_file(url: str) -> bool:
    try:
        parsed = make_url(url)
    except Exception:  # noqa: BLE001 - connect() reports a malformed URL with its code
        return False
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or database in ("", ":memory:"):
        return False
    return not Path(database.removeprefix("file:")).exists()


def _sqlite_connect(dbapi_connection: Any, _record: object) -> None:
    # Let SQLAlchemy's "begin" event decide how transactions start.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=60000")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    if conn.get_execution_options().get(WRITE):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")
