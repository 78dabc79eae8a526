"""Log sources: server and database logs read into typed events (one class a file).

from medshield.audit.sources import SOURCES, read_file
source = SOURCES.get("sshd")()
for item in source.events(read_file("/var/log/auth.log")):
    ...   # LogEvent, or BadLine (counted, reported with its code, never fatal)
"""

from medshield.audit.sources.auditd import AuditdSource
from medshield.audit.sources.base import BadLine, Line, LogEvent, LogSource
from medshield.audit.sources.mariadb_audit import MariadbAuditSource
from medshield.audit.sources.mysql_general import MysqlGeneralSource
from medshield.audit.sources.pgaudit import PgauditSource
from medshield.audit.sources.postgres import PostgresSource
from medshield.audit.sources.reader import lines_from_text, read_file
from medshield.audit.sources.sshd import SshdSource
from medshield.registry import Registry

BUILTIN_SOURCES: tuple[type[LogSource], ...] = (
    PostgresSource,
    PgauditSource,
    MariadbAuditSource,
    MysqlGeneralSource,
    SshdSource,
    AuditdSource,
)
SOURCES: Registry[LogSource] = Registry("log_sources", BUILTIN_SOURCES)

__all__ = [
    "SOURCES",
    "BadLine",
    "Line",
    "LogEvent",
    "LogSource",
    "lines_from_text",
    "read_file",
]
