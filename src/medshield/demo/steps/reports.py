"""Demo step: the three reports of everything the demo recorded, written to files."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import ClassVar

from medshield.demo.runner import DemoContext
from medshield.reports import KINDS, build_report, write_report
from medshield.reports.labels import label


class ReportsStep:
    name: ClassVar[str] = "reports"
    title_zh: ClassVar[str] = "报表：接口检测、审计、合规（读自审计账本）"
    title_en: ClassVar[str] = "Reports: API detection, audit, compliance (read from the ledger)"

    def run(self, ctx: DemoContext) -> None:
        folder = ctx.workdir / "reports"
        with ctx.ledger_in_use() as ledger:
            first = next(iter(ledger.records()), None)
            until = datetime.now(UTC) + timedelta(seconds=1)
            since = first.at if first else until - timedelta(days=1)
            written = {}
            for kind in KINDS:
                report = build_report(kind, ledger, ctx.bundle, since, until, lang=ctx.lang)
                path = write_report(report, folder / f"{kind}.html")
                written[kind] = path
                title = label(f"report.{kind}", ctx.lang)
                ctx.say(ctx.t(f"   {title}：{path}（读取账本 {report.records_read} 条）",
                              f"   {title}: {path} ({report.records_read} ledger records)"))  # fmt: skip
        ctx.artifacts["reports"] = written
        ctx.report("报表目录", "reports in", folder)
