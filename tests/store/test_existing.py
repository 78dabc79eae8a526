from __future__ import annotations

from pathlib import Path

import pytest

from medshield.errors import InputError
from medshield.store.existing import database_name, one_line, require_existing


def test_postgres_drivers_name_one_database() -> None:
    plain = database_name("postgresql://postgres:secret@127.0.0.1:5432/his")
    assert plain == database_name("postgresql+psycopg://postgres:secret@127.0.0.1:5432/his")
    assert "secret" not in plain
    assert database_name("mysql+pymysql://root@h/his").startswith("mysql+pymysql://")


def test_a_missing_sqlite_file_is_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "nope.db"
    with pytest.raises(InputError, match="database file not found"):
        require_existing(f"sqlite:///{missing}", "here")
    assert not missing.exists()
    missing.touch()
    require_existing(f"sqlite:///{missing}", "here")
    require_existing("sqlite://", "here")  # in memory


def test_one_line_of_a_server_error() -> None:
    assert one_line(RuntimeError("FATAL: database x does not exist\nDETAIL: more")) == (
        "FATAL: database x does not exist"
    )
