"""The platform store: migrations on SQLite, PostgreSQL and MariaDB, idempotent, clear errors."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from medshield.cli.app import main
from medshield.errors import ServiceUnavailableError, StoreError
from medshield.policy import load_bundle
from medshield.store import connect, upgrade
from medshield.store.db import record_policy_version
from medshield.store.models import Base
from medshield.store.models.core import PolicyVersion


def _check_upgraded_twice(url: str) -> None:
    upgrade(url)
    upgrade(url)  # a second run changes nothing and does not fail
    engine = connect(url)
    try:
        tables = set(inspect(engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        assert "alembic_version" in tables
        bundle = load_bundle()
        for _ in range(2):
            record_policy_version(engine, bundle.version, bundle.meta.name, str(bundle.root))
        with Session(engine) as session:
            rows = session.scalars(select(PolicyVersion)).all()
        assert [r.version for r in rows] == [bundle.version]
    finally:
        engine.dispose()


def test_upgrade_sqlite_twice(sqlite_url: str) -> None:
    _check_upgraded_twice(sqlite_url)


@pytest.mark.postgres
def test_upgrade_postgres_twice(postgres_url: str) -> None:
    _check_upgraded_twice(postgres_url)


@pytest.mark.mariadb
def test_upgrade_mariadb_twice(mariadb_url: str) -> None:
    _check_upgraded_twice(mariadb_url)


def test_default_store_is_a_sqlite_file_in_home(tmp_path: Path) -> None:
    url = upgrade()
    assert url.startswith("sqlite:///") and url.endswith("store.db")
    assert (tmp_path / "home" / "store.db").is_file()  # MEDSHIELD_HOME of the test


def test_unreachable_server_is_service_unavailable() -> None:
    with pytest.raises(ServiceUnavailableError) as caught:
        upgrade("postgresql+psycopg://nobody:secret@127.0.0.1:1/none?connect_timeout=2")
    assert caught.value.where is not None and "secret" not in caught.value.where
    assert "secret" not in caught.value.message


def test_unknown_driver_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="cannot open store"):
        connect("nosuchdb://x/y")


def _cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    """Run the ``medshield`` entry point in this process: (exit code, stdout, stderr)."""
    monkeypatch.setattr(sys, "argv", ["medshield", *args])
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_db_upgrade_on_sqlite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MEDSHIELD_STORE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    for _ in range(2):
        code, out, err = _cli(monkeypatch, capsys, "db", "upgrade")
        assert code == 0, err
        assert "store upgraded: sqlite:///" in out
    assert (tmp_path / "cli.db").is_file()


@pytest.mark.postgres
def test_cli_db_upgrade_on_postgres(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for _ in range(2):
        code, _, err = _cli(monkeypatch, capsys, "db", "upgrade", "--url", postgres_url)
        assert code == 0, err
    engine = connect(postgres_url)
    try:
        assert "policy_versions" in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_cli_db_upgrade_unreachable_prints_the_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = "postgresql+psycopg://u:pw@127.0.0.1:1/x?connect_timeout=2"
    code, out, err = _cli(monkeypatch, capsys, "db", "upgrade", "--url", url)
    assert code != 0
    assert err.startswith("error[MS401]: cannot connect to the database")
    assert "Traceback" not in err + out and ":pw@" not in err
