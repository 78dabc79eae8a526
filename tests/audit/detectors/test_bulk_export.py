from __future__ import annotations

import pytest

from medshield.audit.detectors import DetectorContext

from .conftest import audit_text

PG = "2026-12-01 02:00:0{n} UTC [9] his@hisdb 10.1.0.5(5) LOG:  AUDIT: SESSION,{n},1,{cls},{cmd},,,{sql},<none>\n"


@pytest.mark.parametrize(
    ("cls", "cmd", "sql"),
    [
        ("READ", "COPY", '"COPY public.patient (id, name) TO stdout;"'),
        ("READ", "SELECT", "\"SELECT * FROM patient INTO OUTFILE '/tmp/p.csv'\""),
    ],
)
def test_export_statements(ctx: DetectorContext, cls: str, cmd: str, sql: str) -> None:
    found = audit_text(ctx, "pgaudit", [PG.format(n=1, cls=cls, cmd=cmd, sql=sql)])
    assert [f.detector for f in found] == ["bulk_export"]


def test_a_dump_of_many_tables_is_one_finding(ctx: DetectorContext) -> None:
    lines = [
        PG.format(n=i, cls="READ", cmd="COPY", sql=f"COPY public.t{i} (id) TO stdout;")
        for i in range(5)
    ]
    assert len(audit_text(ctx, "pgaudit", lines)) == 1


def test_dump_tool_and_removable_media(ctx: DetectorContext) -> None:
    log = (
        'type=SYSCALL msg=audit(1765000000.1:1): syscall=59 success=yes auid=1001 comm="mysqldump" exe="/usr/bin/mysqldump"\n'
        'type=EXECVE msg=audit(1765000000.1:1): argc=2 a0="mysqldump" a1="hisdb"\n'
        'type=SYSCALL msg=audit(1765000900.1:2): syscall=59 success=yes auid=1002 comm="cp" exe="/usr/bin/cp"\n'
        'type=EXECVE msg=audit(1765000900.1:2): argc=3 a0="cp" a1="/data/x.csv" a2="/media/usb/"\n'
        'type=SYSCALL msg=audit(1765000901.1:3): syscall=59 success=yes auid=1002 comm="cp" exe="/usr/bin/cp"\n'
        'type=EXECVE msg=audit(1765000901.1:3): argc=3 a0="cp" a1="/data/x.csv" a2="/srv/backup/"\n'
    )
    found = audit_text(ctx, "auditd", log)
    assert [f.evidence["how"] for f in found] == [
        "dump tool mysqldump",
        "copy to removable media with cp",
    ]
