"""MariaDB's ``server_audit`` plugin log (``server_audit_output_type=file``).

``20231121 10:00:00,host,user,client,connection,query,OPERATION,database,'object',retcode``:
CONNECT, FAILED_CONNECT, DISCONNECT, QUERY (and QUERY_DDL/DML/DCL), READ/WRITE/CREATE/ALTER/
DROP/RENAME on tables. A non-zero return code is a failure (1045: access denied).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import ClassVar

from pydantic import BaseModel

from medshield.audit.sources.base import (
    BadLine,
    Line,
    LogEvent,
    Outcome,
    decode,
    text_of,
    truncated,
    unknown,
)
from medshield.audit.sources.timestamps import TimestampCache

_TABLE_OPS = frozenset({"READ", "WRITE", "CREATE", "ALTER", "DROP", "RENAME"})


class MariadbAuditSource:
    name: ClassVar[str] = "mariadb-audit"

    class Params(BaseModel):
        model_config = {"extra": "forbid"}

    def __init__(self, params: BaseModel | None = None, *, where: str = "server_audit log") -> None:
        del params
        self.where = where
        self.stamps = TimestampCache()
        self._at: dict[str, datetime | None] = {}

    def events(self, lines: Iterable[Line]) -> Iterator[LogEvent | BadLine]:
        read, where = self._read, self.where
        for line in lines:
            text = text_of(line[3])
            if text is None:
                yield decode(line, where)  # type: ignore[misc]  # the BadLine of a binary line
            elif text and not text.isspace():
                yield read(text, line)

    def _read(self, text: str, line: Line) -> LogEvent | BadLine:
        head = text.split(",", 7)
        if len(head) < 8 or len(head[0]) != 17 or not head[0][:8].isdigit():
            if len(head[0]) == 17 and head[0][:8].isdigit():
                return truncated(line, self.where, "server_audit")
            return unknown(line, self.where, "server_audit")
        stamp, _server, user, client, conn, _query, op, rest = head
        at = self._at.get(stamp)
        if at is None:  # one parse a second: the lines of a second share their stamp
            at = self.stamps.iso(f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}T{stamp[9:]}")
            if len(self._at) > 4096:
                self._at.clear()
            self._at[stamp] = at
        database, _, tail = rest.partition(",")
        obj, retcode = _object_and_code(tail)
        if retcode is None:
            return truncated(line, self.where, "server_audit")
        outcome: Outcome = "failure" if retcode != 0 else "success"
        event = LogEvent(
            self.name,
            "query",
            outcome,
            at,
            user=user or None,
            host=client or None,
            database=database or None,
            session=conn,
            line=line[0],
            start=line[1],
            end=line[2],
        )
        if op in ("CONNECT", "FAILED_CONNECT"):
            event.kind = "login"
            event.outcome = "failure" if op == "FAILED_CONNECT" or retcode else "success"
        elif op == "DISCONNECT":
            event.kind, event.outcome = "logout", "info"
        elif op in _TABLE_OPS:
            event.kind, event.outcome, event.command, event.object = "query", "info", op, obj
        elif op.startswith("QUERY"):
            event.statement = obj
        else:
            event.command = op
        event.detail["retcode"] = retcode
        return event


def _object_and_code(tail: str) -> tuple[str, int | None]:
    """``'select 1',0`` -> (``select 1``, 0); ``tbl,0`` -> (``tbl``, 0)."""
    obj, _, code = tail.rpartition(",")
    code = code.strip() or "0"  # table records end with an empty field
    if not code.lstrip("-").isdigit():
        return "", None
    if obj.startswith("'") and obj.endswith("'") and len(obj) >= 2:
        obj = obj[1:-1].replace("\\'", "'").replace("\\n", "\n").replace("\\\\", "\\")
    return obj, int(code)
