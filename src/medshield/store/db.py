"""Connecting to the platform store and migrating it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from medshield.errors import ServiceUnavailableError, StoreError
from medshield.settings import get_settings
from medshield.store.models.core import PolicyVersion

if TYPE_CHECKING:
    from alembic.config import Config


def connect(url: str | None = None) -> Engine:
    """An engine for the store at ``url`` (the configured store when None)."""
    settings = get_settings()
    target = url or settings.resolved_store_url()
    if target.startswith("sqlite:///") and not target.startswith("sqlite:///:memory:"):
        Path(target.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = create_engine(target, pool_pre_ping=True)
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise StoreError(f"cannot open store: {exc}", where=_safe(target)) from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - any malformed URL is reported as given
        return "<malformed url>"


def alembic_config(url: str) -> Config:
    from alembic.config import Config  # imported when migrating: most commands never do

    cfg = Config()
    cfg.set_main_option("script_location", "medshield.store:migrations")
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str | None = None) -> str:
    """Migrate the store to the newest schema (every head); return the URL migrated."""
    from alembic import command

    target = url or get_settings().resolved_store_url()
    engine = connect(target)
    try:
        with engine.begin() as connection:
            cfg = alembic_config(target)
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "heads")
    except OperationalError as exc:
        raise ServiceUnavailableError(
            f"store unreachable: {exc.orig}", where=_safe(target)
        ) from None
    finally:
        engine.dispose()
    return _safe(target)


def record_policy_version(engine: Engine, version: str, name: str, path: str) -> None:
    with Session(engine) as session, session.begin():
        if session.scalar(select(PolicyVersion).where(PolicyVersion.version == version)) is None:
            session.add(
                PolicyVersion(version=version, name=name, path=path, loaded_at=datetime.now(UTC))
            )
