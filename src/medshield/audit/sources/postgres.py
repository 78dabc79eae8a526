"""PostgreSQL server logs: stderr (``log_line_prefix`` ``%m [%p] %q%u@%d `` with an optional
``%r``) and csvlog, with connections, failed logins, statements and pgaudit records.

A record whose text continues on the next lines (a statement with newlines, a quoted CSV field)
is joined before it is read. The client address comes from ``%r`` or, per backend process, from
its ``connection received`` line.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from typing import ClassVar

from pydantic import BaseModel

from medshield.audit.sources.base import (
    BadLine,
    Line,
    LogEvent,
    decode,
    text_of,
    truncated,
    unknown,
)
from medshield.audit.sources.pgaudit_record import AUDIT, audit_event
from medshield.audit.sources.timestamps import TimestampCache

_STDERR = re.compile(
    r"(?P<stamp>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?(?: [A-Z]{2,5}|[+-]\d\d)?) \[(?P<pid>\d+)\] "
    r"(?:(?P<user>[^@\s]*)@(?P<db>\S*) )?(?:(?P<host>[\w.:%-]+|\[local\])(?:\(\d+\))? )?"
    r"(?P<level>[A-Z]+\d?):  (?P<msg>.*)",
    re.DOTALL,
)
_NO_DIGIT_OR_COLON = re.compile(r"[^\d:]*")
_CSV_START = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \w+,")
_RECEIVED = re.compile(r"connection received: host=(?P<host>\S+)")
_AUTHORIZED = re.compile(r"connection authorized: user=(?P<user>\S+)(?: database=(?P<db>\S+))?")
_FAILED = re.compile(
    r'(?:password|Ident|peer|md5|scram-sha-256) authentication failed for user "(?P<user>[^"]*)"'
)
_NO_HBA = re.compile(r'no pg_hba\.conf entry for host "(?P<host>[^"]+)", user "(?P<user>[^"]*)"')
_NO_ROLE = re.compile(r'role "(?P<user>[^"]*)" does not exist')
_STATEMENT = re.compile(r"(?:statement|execute [^:]*): (?P<sql>.*)", re.DOTALL)


class PostgresSource:
    """Every record of a PostgreSQL server log: logins, statements, audit records."""

    name: ClassVar[str] = "postgres"
    strict: ClassVar[bool] = True  # a line in no known format is a bad line (MS913)
    audit_only: ClassVar[bool] = False  # only pgaudit records (and bad lines) are yielded

    class Params(BaseModel):
        model_config = {"extra": "forbid"}

    def __init__(self, params: BaseModel | None = None, *, where: str = "PostgreSQL log") -> None:
        del params
        self.where = where
        self.stamps = TimestampCache()
        self._clients: dict[str, str] = {}

    def events(self, lines: Iterable[Line]) -> Iterator[LogEvent | BadLine]:
        pending: list[tuple[Line, str]] = []
        quoted = False  # the pending CSV record has an open quote: the next line continues it
        record, where, audit_only = self._record, self.where, self.audit_only
        for line in lines:
            text = text_of(line[3])
            if text is None:
                yield decode(line, where)  # type: ignore[misc]  # the BadLine of a binary line
                continue
            if pending and (quoted or (text.startswith("\t") and not _is_csv(pending[0][1]))):
                pending.append((line, text))
                quoted ^= text.count('"') % 2 == 1
                continue
            if pending:
                item = record(pending)
                if item is not None and (not audit_only or _audit_or_bad(item)):
                    yield item
            pending = [(line, text)]
            quoted = text.count('"') % 2 == 1 and _is_csv(text)
        if pending:
            item = record(pending)
            if item is not None and (not audit_only or _audit_or_bad(item)):
                yield item

    def _record(self, lines: list[tuple[Line, str]]) -> LogEvent | BadLine | None:
        first, last = lines[0][0], lines[-1][0]
        text = lines[0][1] if len(lines) == 1 else "\n".join(t for _, t in lines)
        if not text or text.isspace():
            return None
        if (m := _STDERR.match(text)) is not None:  # PostgreSQL's default log first; a csvlog
            item = self._stderr(m, first)  # record, whose stamp a comma follows, never matches
        elif _CSV_START.match(text):
            item = self._csv(text, first)
        else:
            item = self._bare(text, first)
            if item is None and self.strict:
                item = unknown(first, self.where, "PostgreSQL")
        if isinstance(item, LogEvent):
            item.line, item.start, item.end = first[0], first[1], last[2]
        return item

    def _bare(self, text: str, line: Line) -> LogEvent | BadLine | None:
        del text, line
        return None

    def _stderr(self, m: re.Match[str], line: Line) -> LogEvent | BadLine | None:
        stamp, pid, user, db, host, level, msg = m.groups()  # its groups are these, in order
        if (
            host
            and host[0] not in "0123456789:"  # an address starts so: no need to look further
            and host != "[local]"
            and _NO_DIGIT_OR_COLON.fullmatch(host)
        ):
            host = None  # a word, not an address: the prefix had no %r
        return self._message(level, msg, pid, user, db, host, self.stamps.iso(stamp), line)

    def _csv(self, text: str, line: Line) -> LogEvent | BadLine | None:
        try:
            fields = next(csv.reader([text], strict=True))
        except (csv.Error, StopIteration):
            return truncated(line, self.where, "PostgreSQL csvlog")
        if len(fields) < 14:
            return truncated(line, self.where, "PostgreSQL csvlog")
        client = fields[4].rsplit(":", 1)[0] if fields[4] else None
        event = self._message(
            fields[11],
            fields[13],
            fields[3],
            fields[1] or None,
            fields[2] or None,
            client,
            self.stamps.iso(fields[0]),
            line,
        )
        return event

    def _message(
        self,
        level: str,
        msg: str,
        pid: str,
        user: str | None,
        db: str | None,
        host: str | None,
        at: object,
        line: Line,
    ) -> LogEvent | BadLine | None:
        if host and host != "[local]":
            if self._clients.get(pid) != host:  # mostly known: each line of a backend gives it
                self._remember(pid, host)
        else:
            host = self._clients.get(pid, host)
        event: LogEvent | None = None
        if msg.startswith(AUDIT):
            event = audit_event(msg[len(AUDIT) :], self.name)
            if event is None:
                return truncated(line, self.where, "pgaudit")
        elif (m := _RECEIVED.match(msg)) is not None:
            self._remember(pid, m["host"])
            event = LogEvent(self.name, "connect", "info", None, host=m["host"])
        elif (m := _AUTHORIZED.match(msg)) is not None:
            event = LogEvent(self.name, "login", "success", None, user=m["user"], database=m["db"])
        elif level == "FATAL" and (
            m := _FAILED.match(msg) or _NO_HBA.match(msg) or _NO_ROLE.match(msg)
        ):
            found = m.groupdict()
            host = found.get("host") or host
            event = LogEvent(self.name, "login", "failure", None, user=found["user"])
            event.detail["reason"] = msg
        elif level == "LOG" and (m := _STATEMENT.match(msg)) is not None:
            event = LogEvent(self.name, "query", "success", None, statement=m["sql"])
        if event is None:
            return None
        event.at = at  # type: ignore[assignment]
        event.user = event.user or user
        event.database = event.database or db
        event.host = event.host or host
        event.session = pid
        return event

    def _remember(self, pid: str, host: str) -> None:
        if len(self._clients) > 65536:
            self._clients.clear()
        self._clients[pid] = host


def _audit_or_bad(item: LogEvent | BadLine) -> bool:
    return isinstance(item, BadLine) or bool(item.detail.get("audit_type"))


def _is_csv(text: str) -> bool:
    """A csvlog record or a pgaudit record: CSV whose quoted fields may span lines."""
    return "AUDIT: " in text or _CSV_START.match(text) is not None
