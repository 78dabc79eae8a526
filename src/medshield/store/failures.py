"""What a database's failure means to a user: one coded ``StoreError`` a kind of failure.

Drivers say the same thing in many words (SQLite, psycopg, PyMySQL); ``store_failure`` reads the
driver's message and answers with the error a user can act on: the file is not a database, the
store is read-only, the credentials were refused, the server did not answer in time, or it is
down. The URL in ``where`` never carries a password.
"""

from __future__ import annotations

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from medshield.errors import (
    ServiceUnavailableError,
    StoreAuthError,
    StoreCorruptError,
    StoreError,
    StoreReadOnlyError,
    StoreTimeoutError,
)

# (words in the driver's message, the error they mean), first match wins
_KINDS: tuple[tuple[tuple[str, ...], type[StoreError]], ...] = (
    (("file is not a database", "malformed", "disk image", "not a database"), StoreCorruptError),
    (("readonly database", "read-only", "read only"), StoreReadOnlyError),
    (
        (
            "password authentication failed",
            "access denied",
            "authentication failed",
            "no password supplied",
            'role "',
            "permission denied",
        ),
        StoreAuthError,
    ),  # fmt: skip
    (("timeout", "timed out", "lost connection"), StoreTimeoutError),
    (("unable to open database file",), StoreError),
    (
        (
            "connection refused",
            "could not connect",
            "can't connect",
            "unable to open database",
            "name or service not known",
            "no route to host",
            "could not translate host",
            "unknown database",
            "does not exist",
        ),
        ServiceUnavailableError,
    ),  # fmt: skip
)


def safe_url(url: str) -> str:
    """The URL without its password, for messages; ``<malformed url>`` when it is not one."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - any malformed URL is reported as such
        return "<malformed url>"


def reason(exc: BaseException) -> str:
    """The driver's first line of the failure, without SQLAlchemy's background link."""
    text = str(getattr(exc, "orig", None) or exc).strip()
    return (text.splitlines() or [type(exc).__name__])[0]


DRIVERS = frozenset({"sqlite3", "psycopg", "psycopg2", "pymysql", "MySQLdb", "oracledb"})


def is_database_failure(exc: BaseException) -> bool:
    """An exception of SQLAlchemy or of a database driver (raised outside SQLAlchemy's wrap)."""
    module = type(exc).__module__.split(".")[0]
    return isinstance(exc, SQLAlchemyError) or module in DRIVERS


def store_failure(exc: BaseException, where: str | None) -> StoreError:
    """The coded error a database failure ``exc`` means; ``where`` is a safe URL or a name."""
    said = reason(exc)
    lowered = said.lower()
    for words, kind in _KINDS:
        if any(word in lowered for word in words):
            return kind(_MESSAGES[kind] + f": {said}", where=where)
    return StoreError(f"database failure: {said}", where=where)


_MESSAGES: dict[type[StoreError], str] = {
    StoreCorruptError: "not a database, or a damaged one",
    StoreReadOnlyError: "the database cannot be written",
    StoreAuthError: "the database refused the credentials",
    StoreTimeoutError: "the database did not answer in time",
    ServiceUnavailableError: "cannot connect to the database",
    StoreError: "cannot open the database file",
}
