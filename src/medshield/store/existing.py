"""Opening a database that must exist already: a SQLite path that names no file is an error
(SQLAlchemy would create an empty file), and a driver error is told in one line."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from medshield.errors import DatabaseUrlError


def require_existing(url: str, where: str) -> None:
    """``DatabaseUrlError`` (an ``InputError``) when ``url`` is a SQLite database whose file does not exist."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return  # the caller reports a malformed URL its own way
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return
    if database.startswith("file:") or Path(database).exists():
        return
    raise DatabaseUrlError("database file not found (nothing was created)", where=where)


def one_line(exc: BaseException) -> str:
    """The first line of a driver's message (server errors span several lines)."""
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def database_name(url: str) -> str:
    """The name of the database at ``url``: the URL without its password, and without the
    driver where it does not change the database (``postgresql+psycopg://`` and
    ``postgresql://`` name one database). ``ArgumentError`` when malformed."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        parsed = parsed.set(drivername="postgresql")
    return parsed.render_as_string(hide_password=True)
