"""The MySQL/MariaDB general query log (``general_log_file``).

MariaDB writes ``231121 10:00:00\t    8 Connect\troot@localhost on test using TCP/IP`` and later
lines of the same second as ``\t\t    8 Query\tselect 1``; MySQL 8 starts each line with an ISO
stamp. A statement with newlines continues on lines without the prefix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import ClassVar

from pydantic import BaseModel

from medshield.audit.sources.base import BadLine, Line, LogEvent, decode, unknown
from medshield.audit.sources.timestamps import TimestampCache

_ENTRY = re.compile(
    r"(?:(?P<stamp>\d{6} [ \d]\d:\d\d:\d\d|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z?)\s+|\t\t)"
    r"\s*(?P<id>\d+) (?P<command>[A-Z][A-Za-z ]*?)\t(?P<arg>.*)"
)
_CONNECT = re.compile(r"(?P<user>[^@\s]*)@(?P<host>\S+?)(?: as \S+)? on (?P<db>\S*)")
_DENIED = re.compile(r"Access denied for user '(?P<user>[^']*)'@'(?P<host>[^']*)'")
_HEADER = ("Time", "Tcp port:", "/")


class MysqlGeneralSource:
    name: ClassVar[str] = "mysql-general"

    class Params(BaseModel):
        model_config = {"extra": "forbid"}

    def __init__(self, params: BaseModel | None = None, *, where: str = "general log") -> None:
        del params
        self.where = where
        self.stamps = TimestampCache()
        self._at: datetime | None = None
        self._clients: dict[str, tuple[str | None, str | None]] = {}

    def events(self, lines: Iterable[Line]) -> Iterator[LogEvent | BadLine]:
        pending: LogEvent | None = None
        for line in lines:
            text = decode(line, self.where)
            if isinstance(text, BadLine):
                yield text
                continue
            m = _ENTRY.match(text)
            if m is None:
                if pending is not None and pending.statement is not None:
                    pending.statement += "\n" + text  # a statement that spans lines
                    pending.end = line[2]
                elif text.strip() and not text.startswith(_HEADER):
                    yield unknown(line, self.where, "general log")
                continue
            if pending is not None:
                yield pending
            pending = self._entry(m, line)
        if pending is not None:
            yield pending

    def _entry(self, m: re.Match[str], line: Line) -> LogEvent:
        stamp = m["stamp"]
        if stamp:
            self._at = self.stamps.iso(_iso(stamp))
        conn, command, arg = m["id"], m["command"].strip(), m["arg"]
        user, host = self._clients.get(conn, (None, None))
        event = LogEvent(
            self.name,
            "query",
            "success",
            self._at,
            user=user,
            host=host,
            session=conn,
            line=line[0],
            start=line[1],
            end=line[2],
        )
        if command == "Connect":
            event.kind = "login"
            if (c := _CONNECT.match(arg)) is not None:
                event.user, event.host, event.database = c["user"], c["host"], c["db"] or None
                self._remember(conn, c["user"], c["host"])
            elif (d := _DENIED.search(arg)) is not None:
                event.user, event.host, event.outcome = d["user"], d["host"], "failure"
            else:
                event.outcome = "failure" if "denied" in arg.lower() else "success"
        elif command == "Quit":
            event.kind, event.outcome = "logout", "info"
            self._clients.pop(conn, None)
        elif command in ("Query", "Execute"):
            event.statement = arg
        else:
            event.command, event.outcome = command, "info"
        return event

    def _remember(self, conn: str, user: str, host: str) -> None:
        if len(self._clients) > 65536:
            self._clients.clear()
        self._clients[conn] = (user, host)


def _iso(stamp: str) -> str:
    if "T" in stamp:
        return stamp
    yy, rest = stamp[:6], stamp[7:].strip()
    return f"20{yy[:2]}-{yy[2:4]}-{yy[4:6]}T{rest.zfill(8)}"
