"""What every log source yields: typed events, and bad lines that are counted, never fatal.

A source reads :data:`Line` tuples (line number, start offset, end offset, raw bytes) and yields
:class:`LogEvent` and :class:`BadLine`. Offsets are byte offsets in the file, so a follower can
store them with what it recorded and resume after a crash without losing or repeating a line.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Literal, Protocol

from medshield.errors import (
    BinaryLineError,
    LogSourceError,
    TruncatedLineError,
    UnknownLineFormatError,
)

Line = tuple[int, int, int, bytes]  # number (1-based), start offset, end offset, raw bytes
Kind = Literal["login", "logout", "connect", "query", "exec", "file"]
Outcome = Literal["success", "failure", "info"]


@dataclass(slots=True)
class LogEvent:
    """One thing a server wrote down: who, from where, when, what, the outcome, rows."""

    source: str
    kind: Kind
    outcome: Outcome
    at: datetime | None
    user: str | None = None
    host: str | None = None  # the client: an IP address or a host name
    statement: str | None = None  # SQL text, or a command line for exec events
    command: str | None = None  # SELECT, DELETE, COPY ...; or the program (pg_dump, scp)
    object: str | None = None  # a table or a file path
    rows: int | None = None
    database: str | None = None
    session: str | None = None  # pid, connection id or audit serial
    line: int = 0
    start: int = 0
    end: int = 0
    detail: dict[str, Any] = field(default_factory=dict)

    def as_row(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "kind": self.kind,
            "outcome": self.outcome,
            "at": self.at.isoformat() if self.at else None,
            "user": self.user,
            "host": self.host,
            "command": self.command,
            "object": self.object,
            "rows": self.rows,
            "database": self.database,
            "statement": self.statement,
            "line": self.line,
        }


@dataclass(slots=True, frozen=True)
class BadLine:
    """A line a source could not read; it carries the coded error and its place."""

    error: LogSourceError
    line: int
    start: int
    end: int

    @property
    def code(self) -> str:
        return self.error.code


class LogSource(Protocol):
    name: ClassVar[str]

    def events(self, lines: Iterable[Line]) -> Iterator[LogEvent | BadLine]: ...


def bad(cls: type[LogSourceError], message: str, line: Line, where: str) -> BadLine:
    number, start, end, _ = line
    return BadLine(cls(message, where=f"{where} line {number}, offset {start}"), number, start, end)


def text_of(data: bytes) -> str | None:
    """The text of a line's bytes without its end-of-line; None when it is binary (then
    :func:`decode` gives its :class:`BadLine`). The sources' hot path: a byte looked for as an
    int, and the default codec (UTF-8) unnamed, each cost a fraction of the spelled-out forms."""
    if 0 in data:
        return None
    try:
        return data.decode().rstrip("\r\n")
    except UnicodeDecodeError:
        return None


def decode(line: Line, where: str) -> str | BadLine:
    """The text of a line without its end-of-line, or a :class:`BadLine` when it is binary."""
    data = line[3]
    if b"\x00" in data:
        return bad(BinaryLineError, "binary data in a log line", line, where)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return bad(BinaryLineError, "a log line that is not UTF-8 text", line, where)
    return text.rstrip("\r\n")


def truncated(line: Line, where: str, what: str) -> BadLine:
    return bad(TruncatedLineError, f"truncated {what} line", line, where)


def unknown(line: Line, where: str, what: str) -> BadLine:
    return bad(UnknownLineFormatError, f"a line in no {what} format", line, where)
