"""The ledger's connection to its store, with the locks appenders need.

SQLite: a writer starts with ``BEGIN IMMEDIATE`` (one writer across processes, readers go on
under WAL). PostgreSQL: a writer locks the head row with ``SELECT ... FOR UPDATE``.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Connection, Engine, event, inspect

from medshield.store.db import connect, upgrade

WRITE = "medshield_ledger_write"
_MIGRATING = threading.Lock()


def ledger_engine(url: str) -> Engine:
    """An engine on ``url`` whose schema holds the ledger tables (migrated when missing)."""
    engine = connect(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    if not inspect(engine).has_table("ledger_head"):
        with _MIGRATING:  # one migration at a time in this process (Alembic is not re-entrant)
            if not inspect(engine).has_table("ledger_head"):
                engine.dispose()
                upgrade(url)
    return engine


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
