"""The MariaDB/MySQL general query log."""

from __future__ import annotations

from medshield.audit.sources import LogEvent, lines_from_text
from medshield.audit.sources.mysql_general import MysqlGeneralSource

LOG = """\
/usr/sbin/mariadbd, Version: 10.11.6-MariaDB-0+deb12u1-log (Debian 12). started with:
Tcp port: 3306  Unix socket: /run/mysqld/mysqld.sock
Time\t\t    Id Command\tArgument
261206  2:30:00\t    12 Connect\this@10.8.0.7 on hisdb using TCP/IP
\t\t    12 Query\tdelete from visit
where id < 100
261206  2:30:01\t    13 Connect\tAccess denied for user 'eve'@'10.8.0.9' (using password: YES)
\t\t    12 Quit\t
"""


def test_entries() -> None:
    events = list(MysqlGeneralSource().events(lines_from_text(LOG)))
    assert all(isinstance(e, LogEvent) for e in events)
    login, query, denied, quit_ = events
    assert isinstance(login, LogEvent) and (login.user, login.host) == ("his", "10.8.0.7")
    assert isinstance(query, LogEvent) and query.statement == "delete from visit\nwhere id < 100"
    assert query.user == "his" and query.at is not None and query.at.hour == 2
    assert isinstance(denied, LogEvent) and (denied.outcome, denied.user) == ("failure", "eve")
    assert isinstance(quit_, LogEvent) and quit_.kind == "logout"
