"""Batch delete or modify: a statement that deletes or changes more rows than the policy allows,
a TRUNCATE, or one process deleting many files within the window."""

from __future__ import annotations

from typing import ClassVar

from medshield.audit.detectors.base import DetectorContext, Finding, State, finding
from medshield.audit.detectors.bulk_export import DIALECTS
from medshield.audit.detectors.statements import classify_statement
from medshield.audit.detectors.windows import SlidingCounts
from medshield.audit.sources.base import LogEvent

_MODIFY = frozenset({"DELETE", "UPDATE", "TRUNCATE"})


class BatchModifyDetector:
    name: ClassVar[str] = "batch_modify"
    kinds: ClassVar[frozenset[str]] = frozenset({"query", "file"})  # the events it looks at

    def __init__(self, ctx: DetectorContext) -> None:
        self.policy = ctx.policy.export
        self.deletes = SlidingCounts(self.policy.window_seconds)

    def state(self) -> State:
        return {"deletes": self.deletes.state()}

    def restore(self, state: State) -> None:
        self.deletes.restore(state["deletes"])

    def observe(self, event: LogEvent) -> list[Finding]:
        if event.kind == "file" and event.command == "delete":
            key = f"{event.user}|{event.detail.get('pid')}"
            if self.deletes.add(key, event.at) != self.policy.batch_file_deletes:
                return []
            reason = f"批量删除文件 / {self.policy.batch_file_deletes} files deleted"
            return [finding(self.name, "alert.batch_modify", "high", event, (reason,))]
        if event.kind != "query" or event.statement is None:
            return []
        command = (event.command or "").upper()
        if command not in _MODIFY:
            if event.command is not None or event.rows is None:
                return []
            command = classify_statement(
                event.statement, DIALECTS.get(event.source, "postgres")
            ).verb
        if command == "TRUNCATE" or (
            command in _MODIFY and (event.rows or 0) >= self.policy.batch_rows
        ):
            rows = "all" if command == "TRUNCATE" else event.rows
            reason = f"批量{command} / {command} of {rows} rows (limit {self.policy.batch_rows})"
            return [
                finding(
                    self.name,
                    "alert.batch_modify",
                    "high",
                    event,
                    (reason,),
                    command=command,
                    rows=event.rows,
                    object=event.object,
                )
            ]
        return []
