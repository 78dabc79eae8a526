"""One pgaudit record (the CSV after ``AUDIT: ``) as a :class:`LogEvent`."""

from __future__ import annotations

import csv
import re

from medshield.audit.sources.base import LogEvent

AUDIT = "AUDIT: "
_QUOTED = re.compile(r'"([^"]*(?:""[^"]*)*)"(?:,|$)')  # a CSV field in quotes, and its comma
# The commonest shape in one match: SESSION or OBJECT, a statement in quotes or without (then no
# line break in the record), a parameter and maybe rows. Where it matches, :func:`_split` gives
# the same fields; anything else goes through it (and the csv module).
_COMMON = re.compile(
    r'(SESSION|OBJECT),[^,"]*,[^,"]*,([^,"]*),([^,"]*),([^,"]*),([^,"]*),'
    r'(?:"([^"]*(?:""[^"]*)*)"|([^,"\r\n]*)),[^,"\r\n]*(?:,([^,"\r\n]*))?(?:,[^"\r\n]*)?\Z'
)


def audit_event(record: str, source: str) -> LogEvent | None:
    """The event of one pgaudit record (the text after ``AUDIT: ``); None when cut short."""
    m = _COMMON.match(record)
    if m is not None and (m[6] is not None or ("\n" not in record and "\r" not in record)):
        audit_type, audit_class, command, object_type, name, quoted, plain, rows = m.groups()
        statement = plain if quoted is None else quoted.replace('""', '"')
    else:
        fields = _split(record)
        if fields is None:
            try:
                fields = next(csv.reader([record], strict=True))
            except (csv.Error, StopIteration):
                return None
        if len(fields) < 9 or fields[0] not in ("SESSION", "OBJECT"):
            return None
        audit_type, audit_class, command, object_type, name, statement = (
            fields[0], fields[3], fields[4], fields[5], fields[6], fields[7]
        )  # fmt: skip
        rows = fields[9] if len(fields) > 9 else None
    detail = {"audit_type": audit_type, "class": audit_class, "object_type": object_type or None}
    rows_read = int(rows) if rows and rows.isdigit() else None
    return LogEvent(
        source, "query", "success", None, None, None, statement, command, name or None, rows_read,
        None, None, 0, 0, 0, detail,
    )  # fmt: skip


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
