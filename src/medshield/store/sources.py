"""Source databases are opened, never created: a SQLite source is a file that must exist.

SQLite creates any file it is asked to open. A scan, a query or a masking source must not: a
missing file is a user's mistake (a typo, a wrong folder), and an empty database made in its
place would scan as "nothing found". ``source_url`` turns a SQLite URL into a URI opened with
``mode=ro`` (``mode=rw`` for the few jobs that change a source, such as destruction) and refuses
a file that does not exist or is not a regular file. Other databases pass through unchanged.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from medshield.errors import DatabaseUrlError
from medshield.store.failures import safe_url


def source_url(url: str, *, write: bool = False) -> str:
    """``url`` ready for ``create_engine`` without ever creating a SQLite file."""
    try:
        parsed = make_url(url)
        parsed.port  # noqa: B018 - a port that is not a number fails here, not in the driver
    except (ArgumentError, ValueError):
        raise DatabaseUrlError(
            "malformed database URL (expected dialect+driver://user@host/database)",
            where=url.split("@")[-1][:200],
        ) from None
    if parsed.get_backend_name() != "sqlite":
        return url
    database = parsed.database or ""
    if database in ("", ":memory:") or parsed.query.get("uri"):
        return url  # an in-memory database, or a URI already opened with its own mode
    path = Path(database).expanduser()
    if not path.exists():
        raise DatabaseUrlError("no such SQLite database file", where=safe_url(url))
    if not path.is_file():
        raise DatabaseUrlError("not a SQLite database file (a folder?)", where=safe_url(url))
    mode = "rw" if write else "ro"
    return f"sqlite:///file:{path.resolve()}?mode={mode}&uri=true"
