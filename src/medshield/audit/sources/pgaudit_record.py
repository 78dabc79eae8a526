"""One pgaudit record (the CSV after ``AUDIT: ``) as a :class:`LogEvent`."""

from __future__ import annotations

import csv

from medshield.audit.sources.base import LogEvent

AUDIT = "AUDIT: "


def audit_event(record: str, source: str) -> LogEvent | None:
    """The event of one pgaudit record (the text after ``AUDIT: ``); None when cut short."""
    try:
        fields = next(csv.reader([record], strict=True))
    except (csv.Error, StopIteration):
        return None
    if len(fields) < 9 or fields[0] not in ("SESSION", "OBJECT"):
        return None
    rows = fields[9] if len(fields) > 9 else ""
    return LogEvent(
        source,
        "query",
        "success",
        None,
        statement=fields[7],
        command=fields[4],
        object=fields[6] or None,
        rows=int(rows) if rows.isdigit() else None,
        detail={"audit_type": fields[0], "class": fields[3], "object_type": fields[5] or None},
    )
