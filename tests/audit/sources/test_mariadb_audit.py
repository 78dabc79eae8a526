"""MariaDB server_audit lines."""

from __future__ import annotations

from medshield.audit.sources import BadLine, LogEvent, lines_from_text
from medshield.audit.sources.mariadb_audit import MariadbAuditSource

LOG = """\
20261206 02:30:00,db1,eve,10.8.0.7,31,0,FAILED_CONNECT,,,1045
20261206 02:30:01,db1,his,10.8.0.7,32,0,CONNECT,hisdb,,0
20261206 02:30:02,db1,his,10.8.0.7,32,5,QUERY,hisdb,'select * from patient where name=\\'x\\' into outfile \\'/tmp/p\\'',0
20261206 02:30:02,db1,his,10.8.0.7,32,5,READ,hisdb,patient,
20261206 02:30:03,db1,his,10.8.0.7,32,0,DISCONNECT,hisdb,,0
20261206 02:30:04,db1,his,10.8.0.7
"""


def test_lines() -> None:
    items = list(MariadbAuditSource().events(lines_from_text(LOG)))
    failed, login, query, table, logout, cut = items
    assert isinstance(failed, LogEvent) and (failed.kind, failed.outcome) == ("login", "failure")
    assert isinstance(login, LogEvent) and login.outcome == "success" and login.database == "hisdb"
    assert isinstance(query, LogEvent)
    assert query.statement == "select * from patient where name='x' into outfile '/tmp/p'"
    assert isinstance(table, LogEvent) and (table.command, table.object) == ("READ", "patient")
    assert isinstance(logout, LogEvent) and logout.kind == "logout"
    assert isinstance(cut, BadLine) and cut.code == "MS912"
