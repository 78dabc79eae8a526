"""The command line's second-to-last guard: a failure of the environment gets its code.

Capabilities raise coded errors where they read user input. What still escapes as a library's
exception is the outside world failing in a way a user can act on (a file that vanished, a
database that broke mid-command, a file not in its format): it is reported with the code of its
kind, never as ``MS000``. Anything else is a bug, and stays ``MS000``.
"""

from __future__ import annotations

import csv
import json

from medshield.errors import FileAccessError, FileFormatError, InputError, MedshieldError
from medshield.store.failures import is_database_failure, reason, store_failure


def coded(exc: BaseException) -> MedshieldError | None:
    """The coded error ``exc`` means, or None when it is not a failure of the outside world."""
    if is_database_failure(exc):
        return store_failure(exc, None)
    if isinstance(exc, UnicodeError):
        return FileFormatError(f"not UTF-8 text: {exc}")
    if isinstance(exc, OSError):
        where = str(exc.filename) if exc.filename else None
        return FileAccessError(f"cannot use the file: {exc.strerror or exc}", where=where)
    if isinstance(exc, OverflowError):
        return InputError(f"a number out of range: {exc}")
    if isinstance(exc, json.JSONDecodeError | csv.Error):
        return FileFormatError(f"malformed file: {exc}")
    return _library_format_error(exc)


def _library_format_error(exc: BaseException) -> MedshieldError | None:
    """YAML, Polars and Arrow refusing a file: a format error."""
    module = type(exc).__module__.split(".")[0]
    if module in {"yaml", "polars", "pyarrow"}:
        return FileFormatError(f"malformed file ({module}): {reason(exc)}")
    return None
