"""pgaudit records: ``AUDIT: SESSION|OBJECT,stmt,substmt,class,command,type,name,statement,param[,rows]``.

The record is CSV inside the log message; a statement with newlines spans several lines. The
``pgaudit`` source reads records wherever they appear: in stderr or csvlog lines of a PostgreSQL
log, or bare (``NOTICE:  AUDIT: ...`` as a client sees them). Other lines are passed over.
"""

from __future__ import annotations

from typing import ClassVar

from medshield.audit.sources.base import BadLine, Line, LogEvent, truncated
from medshield.audit.sources.pgaudit_record import AUDIT, audit_event
from medshield.audit.sources.postgres import PostgresSource


class PgauditSource(PostgresSource):
    """Only the audit records of a PostgreSQL log (and bare client notices)."""

    name: ClassVar[str] = "pgaudit"
    strict: ClassVar[bool] = False  # other lines of the log are not audit records

    audit_only: ClassVar[bool] = True  # the other records of the log are passed over

    def _bare(self, text: str, line: Line) -> LogEvent | BadLine | None:
        at = text.find(AUDIT)
        if at < 0:
            return None
        event = audit_event(text[at + len(AUDIT) :], self.name)
        return event if event is not None else truncated(line, self.where, "pgaudit")
