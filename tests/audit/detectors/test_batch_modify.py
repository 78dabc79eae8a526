from __future__ import annotations

from medshield.audit.detectors import DetectorContext

from .conftest import audit_text, with_policy

LINE = "2026-12-01 02:00:00 UTC [9] his@hisdb LOG:  AUDIT: SESSION,1,1,WRITE,{cmd},TABLE,public.visit,{sql},<none>,{rows}\n"


def test_rows_above_the_limit(ctx: DetectorContext) -> None:
    limit = ctx.policy.export.batch_rows
    lines = [
        LINE.format(cmd="DELETE", sql="delete from visit where id < 10", rows=limit - 1),
        LINE.format(cmd="DELETE", sql="delete from visit where id < 99999", rows=limit),
        LINE.format(cmd="UPDATE", sql="update visit set x = 1", rows=limit * 5),
    ]
    found = audit_text(ctx, "pgaudit", lines)
    assert [(f.evidence["command"], f.evidence["rows"]) for f in found] == [
        ("DELETE", limit),
        ("UPDATE", limit * 5),
    ]


def test_truncate(ctx: DetectorContext) -> None:
    found = audit_text(
        ctx, "pgaudit", [LINE.format(cmd="TRUNCATE TABLE", sql="truncate visit", rows=0)]
    )
    assert found == []  # pgaudit names it TRUNCATE TABLE: not a row count, and not a DELETE


def test_many_files_deleted_by_one_process(ctx: DetectorContext) -> None:
    ctx = with_policy(ctx, export={"batch_file_deletes": 3})
    log = "".join(
        f"type=SYSCALL msg=audit(1765000000.{i}:{i}): arch=c000003e syscall=263 success=yes "
        f'exit=0 pid=77 auid=1001 uid=0 comm="rm" exe="/usr/bin/rm" ses=9\n'
        f'type=PATH msg=audit(1765000000.{i}:{i}): item=1 name="/data/his/f{i}.csv" nametype=DELETE\n'
        for i in range(1, 6)
    )
    (finding,) = audit_text(ctx, "auditd", log)
    assert finding.detector == "batch_modify" and finding.user == "1001"
