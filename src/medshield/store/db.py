"""Connecting to the platform store and migrating it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from medshield.errors import StoreError, StoreSchemaError
from medshield.settings import get_settings
from medshield.store.failures import safe_url, store_failure
from medshield.store.models.core import PolicyVersion

if TYPE_CHECKING:
    from alembic.config import Config


def connect(url: str | None = None) -> Engine:
    """An engine for the store at ``url`` (the configured store when None)."""
    settings = get_settings()
    target = url or settings.resolved_store_url()
    if target.startswith("sqlite:///") and not target.startswith(
        ("sqlite:///:memory:", "sqlite:///file:")
    ):
        folder = Path(target.removeprefix("sqlite:///")).parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot make the store's folder: {exc.strerror}", where=str(folder)
            ) from None
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


_safe = safe_url


def alembic_config(url: str) -> Config:
    from alembic.config import Config  # imported when migrating: most commands never do

    cfg = Config()
    cfg.set_main_option("script_location", "medshield.store:migrations")
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str | None = None) -> str:
    """Migrate the store to the newest schema (every head); return the URL migrated."""
    from alembic import command
    from alembic.util import CommandError

    target = url or get_settings().resolved_store_url()
    engine = connect(target)
    try:
        with engine.begin() as connection:
            cfg = alembic_config(target)
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "heads")
    except CommandError as exc:  # a revision this version does not know: a newer store
        raise StoreSchemaError(
            f"the store's schema is not one this version knows: {exc}", where=_safe(target)
        ) from None
    except SQLAlchemyError as exc:
        raise store_failure(exc, _safe(target)) from None
    finally:
        engine.dispose()
    return _safe(target)


def record_policy_version(engine: Engine, version: str, name: str, path: str) -> None:
    with Session(engine) as session, session.begin():
        if session.scalar(select(PolicyVersion).where(PolicyVersion.version == version)) is None:
            session.add(
                PolicyVersion(version=version, name=name, path=path, loaded_at=datetime.now(UTC))
            )
