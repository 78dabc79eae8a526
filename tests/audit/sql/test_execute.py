"""run_read_only on SQLite: a write is refused whether the engine holds its connections in
query_only mode or switches it on around the statement, and a switched connection is handed
back writable."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.exc import OperationalError

from medshield.audit.query import QueryService
from medshield.audit.sql.execute import _KEPT, dispose, read_only_sqlite, run_read_only
from medshield.errors import QueryFailedError
from medshield.policy import load_bundle
from medshield.service.sources import SourceDirectory


def _database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'source.db'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)"))
        conn.execute(text("INSERT INTO t (name) VALUES ('张三'), ('李四')"))
    engine.dispose()
    return url


def _count(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        n = int(conn.execute(text("SELECT count(*) FROM t")).scalar_one())
    engine.dispose()
    return n


@pytest.mark.parametrize("held", [False, True], ids=["switched", "held"])
def test_a_write_is_refused_and_nothing_changes(tmp_path: Path, held: bool) -> None:
    url = _database(tmp_path)
    engine = create_engine(url)
    engine = read_only_sqlite(engine) if held else engine
    for _ in range(3):  # the same pooled connection, again and again
        fetched = run_read_only(
            engine, "SELECT name FROM t WHERE id = :id", params={"id": 1},
            seconds=5, row_cap=10, where="t",
        )  # fmt: skip
        assert fetched.rows == [("张三",)]
        with pytest.raises(QueryFailedError, match="readonly"):
            run_read_only(
                engine, "DELETE FROM t", seconds=5, row_cap=10, where="t"
            )  # fmt: skip
    assert _count(url) == 2
    with engine.connect() as conn:  # the pooled connection as the engine's other users see it
        if held:
            with pytest.raises(OperationalError, match="readonly"):
                conn.execute(text("DELETE FROM t"))
        else:
            conn.execute(text("UPDATE t SET name = '王五' WHERE id = 2"))
            conn.commit()
    assert _count(url) == 2
    engine.dispose()


def test_source_engines_hold_their_connections_read_only(tmp_path: Path) -> None:
    url = _database(tmp_path)
    sources = SourceDirectory({"h1": url})
    with sources.engine("h1").connect() as conn:
        with pytest.raises(OperationalError, match="readonly"):
            conn.execute(text("INSERT INTO t (name) VALUES ('赵六')"))
    sources.dispose()
    assert _count(url) == 2


def test_the_query_service_opens_sqlite_sources_read_only(tmp_path: Path) -> None:
    url = _database(tmp_path)
    service = QueryService(load_bundle())
    engine = service._engine(url)
    with engine.connect() as conn:  # a connection opened after the engine: held query_only
        conn.execute(text("SELECT 1"))
        other = engine.connect()  # a second one, new: the pool opens it under the listener
        with pytest.raises(OperationalError, match="readonly"):
            other.execute(text("DELETE FROM t"))
        other.close()
    service.close()
    assert _count(url) == 2


def test_a_read_only_engine_keeps_its_statement_connections_until_disposed(
    tmp_path: Path,
) -> None:
    """run_read_only keeps the connections of a held engine out of its pool: one per statement
    running at once, used again by the next, closed when the engine is disposed of. No
    connection event is added: it would slow every statement of the engine's other users."""
    engine = read_only_sqlite(create_engine(_database(tmp_path)))
    together = threading.Barrier(3)

    @event.listens_for(engine, "connect")
    def _meet(dbapi_connection: Any, _record: Any) -> None:  # all three inside SQLite at once
        dbapi_connection.create_function("meet", 0, lambda: together.wait(timeout=10))

    def run(sql: str) -> list[tuple[Any, ...]]:
        return run_read_only(engine, sql, seconds=5, row_cap=10, where="t").rows

    for _ in range(3):
        assert run("SELECT name FROM t ORDER BY id") == [("张三",), ("李四",)]
    assert not engine._has_events  # noqa: SLF001
    kept = _KEPT[engine.pool]
    assert len(kept) == 1 and engine.pool.checkedout() == 0  # used again; none left checked out
    first = kept[0]
    results: list[list[tuple[Any, ...]]] = []
    threads = [
        threading.Thread(target=lambda: results.append(run("SELECT meet(), name FROM t WHERE id = 1")))
        for _ in range(3)
    ]  # fmt: skip
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert len(results) == 3 and len(kept) == 3 and first in kept
    dispose(engine)
    assert engine.pool not in _KEPT
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        first.execute("SELECT 1")
    assert run("SELECT count(*) FROM t") == [(2,)]  # a new pool, new kept connections
    dispose(engine)
