"""Demo step: rows past their retention destroyed, checked gone, and certified in the ledger."""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy import create_engine, text

from medshield.demo.runner import DemoContext
from medshield.destroy import Certificate, Selection, destroy, record, retention_rule
from medshield.errors import AccessDeniedError
from medshield.ledger import Ledger

RULE = "controlled_after_30_years"
VISITS = (  # a retired department's outpatient visits: three are older than thirty years
    ("张三", "免疫性血小板减少症", "1989-03-02"),
    ("欧阳娜娜", "高血压", "1990-07-15"),
    ("李四", "糖尿病", "1994-11-30"),
    ("王五", "癌症", "2008-05-06"),
    ("赵六", "肺炎", "2019-09-09"),
    ("孙七", "哮喘", "2025-01-20"),
)


class DestroyStep:
    name: ClassVar[str] = "destroy"
    title_zh: ClassVar[str] = "数据销毁：超期数据删除、核验并出具销毁证明"
    title_en: ClassVar[str] = "Destruction: expired rows deleted, checked, and certified"

    def run(self, ctx: DemoContext) -> None:
        with ctx.ledger_in_use() as ledger:
            self._run(ctx, ledger)

    def _run(self, ctx: DemoContext, ledger: Ledger) -> None:
        path = ctx.workdir / "retired_department.db"
        path.unlink(missing_ok=True)
        url = f"sqlite:///{path}"
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE visits (id INTEGER PRIMARY KEY, name TEXT,"
                              " diagnosis TEXT, visited TIMESTAMP)"))  # fmt: skip
            conn.execute(
                text("INSERT INTO visits VALUES (:i, :n, :d, :v)"),
                [{"i": i, "n": n, "d": d, "v": v} for i, (n, d, v) in enumerate(VISITS, 1)],
            )
        engine.dispose()
        rule = retention_rule(ctx.bundle, RULE)
        selection = Selection("visits", older_than_days=rule.days, date_column="visited")
        try:
            destroy(url, selection, approved_by=None, operator="secadmin-2")
        except AccessDeniedError as exc:  # fail closed: no approver, nothing destroyed
            ctx.say(ctx.t(f"   未经审批：{exc.render()}", f"   no approver: {exc.render()}"))
        cert = record(ledger, destroy(url, selection, approved_by="committee-2026-031",
                                      operator="secadmin-2", retention_rule=rule.name,
                                      method=rule.method))  # fmt: skip
        self._show(ctx, cert, rule.days)

    def _show(self, ctx: DemoContext, cert: Certificate, days: int) -> None:
        ok = ctx.t("通过", "passed") if cert.verified else ctx.t("失败", "FAILED")
        ctx.say(ctx.t(
            f"   保留规则 {cert.retention_rule}（{days} 天）：删除 {cert.rows} 行，"
            f"核验{ok}（剩余 {cert.remaining_by_predicate}/{cert.remaining_by_key}）",
            f"   retention rule {cert.retention_rule} ({days} days): {cert.rows} rows deleted,"
            f" check {ok} (left {cert.remaining_by_predicate}/{cert.remaining_by_key})",
        ))  # fmt: skip
        ctx.say(ctx.t(f"   销毁证明：账本序号 {cert.seq}，哈希 {str(cert.hash)[:16]}…",
                      f"   certificate: ledger seq {cert.seq}, hash {str(cert.hash)[:16]}…"))  # fmt: skip
        ctx.say(f"   {ctx.t('主键摘要', 'key digest')} {cert.key_digest[:23]}…")
        ctx.report("销毁证明", "destruction certificate",
                   f"seq {cert.seq}, {cert.rows} rows, {ok}")  # fmt: skip
