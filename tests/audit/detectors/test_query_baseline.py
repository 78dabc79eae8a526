from __future__ import annotations

from medshield.audit.detectors import DetectorContext

from .conftest import audit_text, with_policy

LINE = "2026-12-01 02:{m:02d}:{s:02d} UTC [9] {user}@hisdb LOG:  AUDIT: SESSION,1,1,READ,SELECT,TABLE,public.{table},select 1,<none>\n"


def _minute(m: int, count: int, user: str = "his", table: str = "visit") -> list[str]:
    return [LINE.format(m=m, s=i % 60, user=user, table=table) for i in range(count)]


def test_a_burst_against_the_account_own_history(ctx: DetectorContext) -> None:
    lines: list[str] = []
    for m in range(12):
        lines += _minute(m, 3 + m % 3)  # 3..5 a minute
        lines += _minute(m, 40, user="batch")  # another account, steadily busy: never a burst
    lines += _minute(12, 80) + _minute(12, 40, user="batch")
    found = audit_text(ctx, "pgaudit", lines)
    assert [(f.detector, f.user) for f in found] == [("query_baseline", "his")]
    assert found[0].evidence["queries"] == 80


def test_a_new_table_mix(ctx: DetectorContext) -> None:
    ctx = with_policy(ctx, query_baseline={"min_queries": 5})
    lines: list[str] = []
    for m in range(12):
        lines += _minute(m, 6)
    lines += _minute(12, 6, table="prescription")
    (finding,) = audit_text(ctx, "pgaudit", lines)
    assert "prescription" in finding.evidence["new_tables"]
