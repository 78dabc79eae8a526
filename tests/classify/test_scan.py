"""Scanning real databases: SQLite, PostgreSQL and MariaDB, with Chinese comments and values."""

from __future__ import annotations

import sqlite3
import time

import pytest
from sqlalchemy import create_engine, text

from medshield.classify.sampling import Sampling, read_only, sample_table
from medshield.classify.scan import list_tables, open_source
from medshield.errors import ClassificationError, ServiceUnavailableError

ROWS = [(i, f"患者{i}号", f"1380013{i:04d}") for i in range(1, 31)]


def _fill(url: str, ddl: list[str]) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        for stmt in ddl:
            conn.execute(text(stmt))
        conn.execute(
            text("INSERT INTO brxx (id, brxm, lxdh) VALUES (:i, :n, :p)"),
            [{"i": i, "n": n, "p": p} for i, n, p in ROWS],
        )
    engine.dispose()


def _check(url: str, *, comments: bool) -> None:
    engine = open_source(url)
    tables = {t.name: t for t in list_tables(engine)}
    info = tables["brxx"]
    assert [c.name for c in info.columns] == ["id", "brxm", "lxdh"]
    assert info.columns[0].primary_key
    assert ("lxdh",) in info.indexes
    if comments:
        assert info.comment == "病人信息"
        assert info.columns[1].comment == "病人姓名"
    rows, values = sample_table(engine, info, 10, Sampling.RANDOM)
    assert rows == len(ROWS)
    assert len(values["brxm"]) == 10 and all(v.startswith("患者") for v in values["brxm"])
    _, first = sample_table(engine, info, 5, Sampling.FIRST)
    assert len(first["lxdh"]) == 5
    engine.dispose()


def test_scan_sqlite(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'his.db'}"
    _fill(
        url,
        [
            "CREATE TABLE brxx (id INTEGER PRIMARY KEY, brxm VARCHAR(20), lxdh VARCHAR(20))",
            "CREATE INDEX ix_lxdh ON brxx (lxdh)",
        ],
    )
    _check(url, comments=False)


@pytest.mark.postgres
def test_scan_postgres(postgres_url: str) -> None:
    _fill(
        postgres_url,
        [
            "CREATE TABLE brxx (id INTEGER PRIMARY KEY, brxm VARCHAR(20), lxdh VARCHAR(20))",
            "CREATE INDEX ix_lxdh ON brxx (lxdh)",
            "COMMENT ON TABLE brxx IS '病人信息'",
            "COMMENT ON COLUMN brxx.brxm IS '病人姓名'",
        ],
    )
    _check(postgres_url, comments=True)


@pytest.mark.mariadb
def test_scan_mariadb(mariadb_url: str) -> None:
    _fill(
        mariadb_url,
        [
            "CREATE TABLE brxx (id INTEGER PRIMARY KEY, brxm VARCHAR(20) COMMENT '病人姓名', "
            "lxdh VARCHAR(20), INDEX ix_lxdh (lxdh)) COMMENT='病人信息' DEFAULT CHARSET=utf8mb4",
        ],
    )
    _check(mariadb_url, comments=True)


@pytest.mark.postgres
def test_postgres_sampling_is_read_only(postgres_url: str) -> None:
    _fill(postgres_url, ["CREATE TABLE brxx (id INTEGER PRIMARY KEY, brxm TEXT, lxdh TEXT)"])
    engine = open_source(postgres_url)
    with read_only(engine, 5) as conn, pytest.raises(Exception, match="read-only"):
        conn.execute(text("DELETE FROM brxx"))
    engine.dispose()


def test_sqlite_sampling_is_read_only(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'his.db'}"
    _fill(url, ["CREATE TABLE brxx (id INTEGER PRIMARY KEY, brxm TEXT, lxdh TEXT)"])
    engine = open_source(url)
    with read_only(engine, 5) as conn, pytest.raises(Exception, match="readonly"):
        conn.execute(text("DELETE FROM brxx"))
    engine.dispose()


def test_missing_driver_is_a_clear_error() -> None:
    with pytest.raises(ClassificationError, match="no driver"):
        open_source("oracle+oracledb://scott:tiger@127.0.0.1:1521/?service_name=x")
    with pytest.raises(ClassificationError, match="no driver"):
        open_source("mssql+pymssql://sa:pw@127.0.0.1/x")


def test_unreachable_server(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ServiceUnavailableError) as info:
        open_source("postgresql+psycopg://u:secret@127.0.0.1:1/x")
    assert "secret" not in info.value.render()


def test_sqlite_statements_stop_at_the_timeout(tmp_path) -> None:  # type: ignore[no-untyped-def]
    sqlite3.connect(tmp_path / "slow.db").close()  # a source is opened, never created
    engine = open_source(f"sqlite:///{tmp_path / 'slow.db'}")
    endless = (
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
    )
    with read_only(engine, 0.2) as conn, pytest.raises(Exception, match="interrupted"):
        conn.execute(text(endless))
    engine.dispose()


@pytest.mark.postgres
def test_postgres_statements_stop_at_the_timeout(postgres_url: str) -> None:
    engine = open_source(postgres_url)
    with read_only(engine, 0.2) as conn, pytest.raises(Exception, match="statement timeout"):
        conn.execute(text("SELECT pg_sleep(3)"))
    engine.dispose()


@pytest.mark.mariadb
def test_mariadb_statements_stop_at_the_timeout(mariadb_url: str) -> None:
    engine = open_source(mariadb_url)
    with read_only(engine, 0.2) as conn:
        started = time.monotonic()
        try:
            conn.execute(text("SELECT SLEEP(3)")).scalar()
        except Exception as exc:  # noqa: BLE001 - MariaDB may end the statement with an error
            assert "max_statement_time" in str(exc)
        assert time.monotonic() - started < 2
    engine.dispose()
