"""One pgaudit record (the CSV after ``AUDIT: ``) as a :class:`LogEvent`."""

from __future__ import annotations

import csv
import re

from medshield.audit.sources.base import LogEvent

AUDIT = "AUDIT: "
_QUOTED = re.compile(r'"([^"]*(?:""[^"]*)*)"(?:,|$)')  # a CSV field in quotes, and its comma


def audit_event(record: str, source: str) -> LogEvent | None:
    """The event of one pgaudit record (the text after ``AUDIT: ``); None when cut short."""
    fields = _split(record)
    if fields is None:
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


def _split(record: str) -> list[str] | None:
    """The fields of the common shapes of a record without the csv module: no quotes at all, or
    only the statement in quotes (pgaudit quotes a field that holds a comma, a quote or a line
    break). None for any other shape: the csv module reads it."""
    quote = record.find('"')
    if not record:
        return None
    if quote < 0:
        return record.split(",") if "\r" not in record and "\n" not in record else None
    if record.count(",", 0, quote) != 7 or record[quote - 1] != ",":
        return None
    m = _QUOTED.match(record, quote)
    if m is None:
        return None
    fields = record[: quote - 1].split(",")
    fields.append(m[1].replace('""', '"'))
    rest = record[m.end() :]
    if m[0].endswith(","):
        if '"' in rest or "\r" in rest or "\n" in rest:
            return None
        fields.extend(rest.split(","))
    elif rest:
        return None
    return fields
