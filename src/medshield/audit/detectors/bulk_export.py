"""Bulk export: dump tools, copies off the server or to removable media, COPY TO, INTO OUTFILE,
large result sets. One finding per account and address within the policy's window, so a dump
that copies fifty tables is one finding."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import ClassVar

from medshield.audit.detectors.base import DetectorContext, Finding, State, finding
from medshield.audit.detectors.statements import classify_statement, mentions_export
from medshield.audit.detectors.windows import SlidingCounts
from medshield.audit.sources.base import LogEvent

DIALECTS = {"mariadb-audit": "mysql", "mysql-general": "mysql"}
_COPIERS = frozenset({"cp", "mv", "dd", "rsync", "tar", "install"})


class BulkExportDetector:
    name: ClassVar[str] = "bulk_export"
    kinds: ClassVar[frozenset[str]] = frozenset({"query", "exec"})  # the events it looks at

    def __init__(self, ctx: DetectorContext) -> None:
        self.policy = ctx.policy.export
        self.recent = SlidingCounts(self.policy.window_seconds)

    def state(self) -> State:
        return {"recent": self.recent.state()}

    def restore(self, state: State) -> None:
        self.recent.restore(state["recent"])

    def observe(self, event: LogEvent) -> list[Finding]:
        if event.kind == "exec":
            how = self._exec(event)
        elif event.kind == "query" and event.statement:
            how = self._query(event)
        else:
            return []
        if how is None:
            return []
        key = f"{event.user}|{event.host}"
        if self.recent.add(key, event.at) > 1:
            return []  # the same export goes on: already reported in this window
        reason = f"批量导出 / bulk export: {how}"
        return [
            finding(
                self.name,
                "alert.bulk_export",
                "high",
                event,
                (reason,),
                how=how,
                command=event.command,
                object=event.object,
            )
        ]

    def _exec(self, event: LogEvent) -> str | None:
        program = PurePosixPath(event.command or "").name
        if program in self.policy.dump_programs:
            return f"dump tool {program}"
        if program in self.policy.copy_programs:
            return f"copy off the server with {program}"
        argv = event.detail.get("argv") or []
        if program in _COPIERS and any(
            str(a).startswith(self.policy.removable_prefixes) for a in argv[1:]
        ):
            return f"copy to removable media with {program}"
        return None

    def _query(self, event: LogEvent) -> str | None:
        statement = event.statement or ""
        large = (event.rows or 0) >= self.policy.large_result_rows
        if not large and not mentions_export(statement):
            return None
        info = classify_statement(statement, DIALECTS.get(event.source, "postgres"))
        if info.export:
            return "COPY ... TO" if info.export == "copy_to" else "SELECT ... INTO OUTFILE"
        if info.verb == "SELECT" and (event.rows or 0) >= self.policy.large_result_rows:
            return f"large result set ({event.rows} rows)"
        return None
