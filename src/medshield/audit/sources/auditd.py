"""Linux audit records (``/var/log/audit/audit.log``) joined by their serial.

``type=SYSCALL msg=audit(1700000000.123:456): ... auid=1000 uid=0 comm="scp" exe="/usr/bin/scp"``
with the EXECVE (arguments, hex when they hold spaces), CWD and PATH records of the same serial
make one ``exec`` event (the program and its command line) or ``file`` event (a delete or a
rename). An event is complete at its EOE record or when a later serial starts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import ClassVar

from pydantic import BaseModel

from medshield.audit.sources.base import BadLine, Line, LogEvent, decode, truncated, unknown

_RECORD = re.compile(
    r"(?:node=\S+ )?type=(?P<type>\w+) msg=audit\((?P<sec>\d+)\.(?P<ms>\d+):(?P<serial>\d+)\): ?(?P<body>.*)"
)
_FIELD = re.compile(r'(\w+)=("(?:[^"]*)"|\S+)')
_DELETES = frozenset({"unlink", "unlinkat", "rmdir", "87", "263", "84"})  # x86_64 numbers too
_RENAMES = frozenset({"rename", "renameat", "renameat2", "82", "264", "316"})
_HEX = re.compile(r"[0-9A-F]+")


class AuditdSource:
    name: ClassVar[str] = "auditd"

    class Params(BaseModel):
        model_config = {"extra": "forbid"}

    def __init__(self, params: BaseModel | None = None, *, where: str = "audit log") -> None:
        del params
        self.where = where

    def events(self, lines: Iterable[Line]) -> Iterator[LogEvent | BadLine]:
        serial: str | None = None
        group: list[tuple[str, dict[str, str]]] = []
        first: Line | None = None
        last: Line | None = None
        for line in lines:
            text = decode(line, self.where)
            if isinstance(text, BadLine):
                yield text
                continue
            if not text.strip():
                continue
            m = _RECORD.match(text)
            if m is None:
                bad = truncated if text.startswith(("type=", "node=")) else unknown
                yield bad(line, self.where, "audit")
                continue
            if serial is not None and m["serial"] != serial and first and last:
                yield from self._event(serial, group, first, last)
                group = []
            if not group:
                first = line
            serial, last = m["serial"], line
            if m["type"] == "EOE":
                if first:
                    yield from self._event(serial, group, first, line)
                group, serial = [], None
                continue
            fields = dict(_FIELD.findall(m["body"]))
            fields["_at"] = m["sec"]
            group.append((m["type"], fields))
        if group and serial and first and last:
            yield from self._event(serial, group, first, last)

    def _event(
        self, serial: str, group: list[tuple[str, dict[str, str]]], first: Line, last: Line
    ) -> Iterator[LogEvent]:
        by_type: dict[str, dict[str, str]] = {}
        paths: list[str] = []
        for kind, fields in group:
            if kind == "PATH" and "name" in fields:
                paths.append(_text(fields["name"]))
            by_type.setdefault(kind, fields)
        call = by_type.get("SYSCALL")
        if call is None:
            return
        execve = by_type.get("EXECVE")
        at = datetime.fromtimestamp(int(call["_at"]), UTC)
        user = call.get("auid") if call.get("auid") not in (None, "4294967295", "unset") else None
        event = LogEvent(
            self.name,
            "exec",
            "success" if call.get("success", "yes") == "yes" else "failure",
            at,
            user=_text(call.get("AUID", "")) or user or call.get("uid"),
            session=serial,
            command=_text(call.get("comm", "")) or None,
            line=first[0],
            start=first[1],
            end=last[2],
        )
        event.detail["exe"] = _text(call.get("exe", ""))
        event.detail["cwd"] = _text(by_type.get("CWD", {}).get("cwd", ""))
        event.detail["key"] = _text(call.get("key", ""))
        event.detail["pid"] = call.get("pid")
        if execve is not None:
            argc = int(execve.get("argc", "0") or 0)
            argv = [_text(execve.get(f"a{i}", "")) for i in range(argc)]
            event.statement = " ".join(argv)
            event.detail["argv"] = argv
            event.object = argv[-1] if len(argv) > 1 else None
        elif call.get("syscall") in _DELETES or call.get("syscall") in _RENAMES:
            event.kind = "file"
            event.command = "delete" if call.get("syscall") in _DELETES else "rename"
            event.object = paths[-1] if paths else None
        else:
            event.object = paths[-1] if paths else None
        yield event


def _text(value: str) -> str:
    """An audit field: quoted text, or hex-encoded text (when it holds spaces or quotes)."""
    if value.startswith('"') and value.endswith('"'):
        return value[1:-1]
    if len(value) % 2 == 0 and len(value) >= 2 and _HEX.fullmatch(value):
        try:
            return bytes.fromhex(value).decode("utf-8", "replace")
        except ValueError:
            return value
    return value
