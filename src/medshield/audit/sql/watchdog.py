"""The backstop of a tier's time limit: a timer that stops the statement from a second
connection, for servers (or proxies in front of them) that do not honour the session limit.

PostgreSQL gets ``pg_cancel_backend(pid)``, MariaDB and MySQL ``KILL QUERY id``, the id being
read on the statement's own connection before it runs. The timer is disarmed under a lock, so a
cancel never lands on the connection once its statement is over.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Engine, text

# what stops a statement on each kind of server, and how its connection is named
_CANCEL = {
    "postgresql": ("pg_cancel_backend", "SELECT pg_backend_pid()"),
    "mysql": ("KILL QUERY", "SELECT CONNECTION_ID()"),
    "mariadb": ("KILL QUERY", "SELECT CONNECTION_ID()"),
}


def backend_id(raw: Any, kind: str) -> int:
    """The server's id of DB-API connection ``raw``: from the driver when it knows it (psycopg,
    PyMySQL), else asked, and the transaction that opened ended, so the next is a fresh one."""
    info = getattr(raw, "info", None)
    if kind == "postgresql" and info is not None and hasattr(info, "backend_pid"):
        return int(info.backend_pid)
    if kind != "postgresql" and callable(getattr(raw, "thread_id", None)):
        return int(raw.thread_id())
    cursor = raw.cursor()
    try:
        cursor.execute(_CANCEL[kind][1])
        return int(cursor.fetchone()[0])
    finally:
        cursor.close()
        raw.rollback()


class Watchdog:
    """Stops connection ``backend`` of ``engine``'s server after ``seconds`` unless disarmed."""

    def __init__(self, engine: Engine, kind: str, backend: int, seconds: float) -> None:
        self.engine = engine
        self.kind = kind
        self.backend = backend
        self.seconds = seconds
        self.method = _CANCEL[kind][0]
        self.fired = False
        self.failure: str | None = None  # why the cancel itself failed, when it did
        self._lock = threading.Lock()
        self._disarmed = False
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def __enter__(self) -> Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.disarm()

    def disarm(self) -> None:
        self._timer.cancel()
        with self._lock:  # waits for a cancel under way to finish
            self._disarmed = True

    def _fire(self) -> None:
        with self._lock:
            if self._disarmed:
                return
            try:
                with self.engine.connect() as conn:
                    if self.kind == "postgresql":
                        conn.execute(text("SELECT pg_cancel_backend(:pid)"), {"pid": self.backend})
                    else:
                        conn.exec_driver_sql(f"KILL QUERY {int(self.backend)}")
                self.fired = True
            except Exception as exc:  # noqa: BLE001 - reported by the caller, never raised here
                self.failure = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
