"""Shared fixtures: fresh databases on the real PostgreSQL and MariaDB servers."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import Phase, settings
from sqlalchemy import create_engine, text

PG_ADMIN = os.environ.get("MEDSHIELD_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
MARIA_ADMIN = os.environ.get("MEDSHIELD_TEST_MARIADB", "mysql+pymysql://root@127.0.0.1:3306/test")
SHARED = Path(__file__).resolve().parents[1].parent / "shared"

# Tests check behaviour, not speed: no example fails for taking long on a busy machine.
settings.register_profile("medshield", deadline=None)
settings.load_profile("medshield")
# `make mutate` (docs/mutation.md): a failing example is enough to kill a mutant, so the
# mutation run neither shrinks it nor keeps an example database; the examples are fixed.
settings.register_profile(
    "mutation",
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    derandomize=True,
    database=None,
    deadline=None,
)
if os.environ.get("MEDSHIELD_HYPOTHESIS_PROFILE"):
    settings.load_profile(os.environ["MEDSHIELD_HYPOTHESIS_PROFILE"])


def _fresh_database(admin_url: str, quote: str) -> Iterator[str]:
    name = f"ms_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {quote}{name}{quote}"))
    base = admin_url.rsplit("/", 1)[0]
    suffix = "?charset=utf8mb4" if admin_url.startswith("mysql") else ""
    try:
        yield f"{base}/{name}{suffix}"
    finally:
        with admin.connect() as conn:
            if admin_url.startswith("postgresql"):
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            else:
                conn.execute(text(f"DROP DATABASE IF EXISTS `{name}`"))
        admin.dispose()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new, empty PostgreSQL database on the real server, dropped afterwards."""
    yield from _fresh_database(PG_ADMIN, '"')


@pytest.fixture
def mariadb_url() -> Iterator[str]:
    """A new, empty MariaDB database (utf8mb4) on the real server, dropped afterwards."""
    yield from _fresh_database(MARIA_ADMIN, "`")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets its own MEDSHIELD_HOME so no test sees another's store."""
    monkeypatch.setenv("MEDSHIELD_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("MEDSHIELD_STORE_URL", raising=False)


@pytest.fixture
def shared_corpora() -> Path:
    """../shared/corpora beside the checkout (CI lays a copy there)."""
    path = SHARED / "corpora"
    if not path.is_dir():
        pytest.fail(f"corpora folder missing: {path}")
    return path
