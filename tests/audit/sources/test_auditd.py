"""auditd records joined by their serial."""

from __future__ import annotations

from medshield.audit.sources import BadLine, LogEvent, lines_from_text
from medshield.audit.sources.auditd import AuditdSource

LOG = """\
type=SYSCALL msg=audit(1765000000.100:901): arch=c000003e syscall=59 success=yes exit=0 pid=5 auid=1001 uid=0 comm="pg_dump" exe="/usr/lib/postgresql/15/bin/pg_dump" key="export"
type=EXECVE msg=audit(1765000000.100:901): argc=3 a0="pg_dump" a1="-f" a2=2F6D656469612F7573622F6869732064756D702E73716C
type=CWD msg=audit(1765000000.100:901): cwd="/root"
type=PROCTITLE msg=audit(1765000000.100:901): proctitle=70675F64756D70
type=EOE msg=audit(1765000000.100:901):
type=SYSCALL msg=audit(1765000001.200:902): arch=c000003e syscall=263 success=yes exit=0 pid=6 auid=1001 uid=0 comm="rm" exe="/usr/bin/rm"
type=PATH msg=audit(1765000001.200:902): item=1 name="/data/his/visit.csv" inode=5 nametype=DELETE
type=SYSCALL msg=audit(1765000002.200:903): arch=c000003e syscall=59 success
"""


def test_joined_records() -> None:
    items = list(AuditdSource().events(lines_from_text(LOG)))
    dump, delete, cut = items
    assert isinstance(dump, LogEvent)
    assert dump.command == "pg_dump" and dump.detail["argv"][2] == "/media/usb/his dump.sql"
    assert (dump.line, dump.user, dump.session) == (1, "1001", "901")
    assert isinstance(delete, LogEvent)
    assert (delete.kind, delete.command, delete.object) == ("file", "delete", "/data/his/visit.csv")
    assert isinstance(cut, LogEvent) or isinstance(cut, BadLine)
