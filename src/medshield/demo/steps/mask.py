"""Demo step: static masking of one synthetic hospital for a research scenario, verified.

The patient table of the first hospital is masked as the policy plans it for a researcher in
the clinical-pathway scenario; the release is then verified (k-anonymity over the declared
quasi-identifiers, residual identifiers). A release below k is refused; suppressing its small
classes and verifying again shows the level going down only once it passes.
"""

from __future__ import annotations

import csv
from functools import partial
from typing import Any, ClassVar

import polars as pl

from medshield.demo.runner import DemoContext
from medshield.errors import ReleaseRefusedError
from medshield.mask.engine import mask_database, plan_from_rules
from medshield.mask.engine.reading import read_table
from medshield.mask.keys import KeyRing
from medshield.mask.plan import plan_for
from medshield.mask.privacy import suppress_small_classes
from medshield.mask.verify import VerificationReport, require_release, verify_release
from medshield.policy import Form, Scope, Stage, UseContext, grant_masking

TABLE = "patient"
QUASI = ("DE02.01.040.00", "DE02.01.026.00")  # gender, age: what a research release keeps
SHOWN = ("DE02.01.039.00", "DE02.01.030.00", "DE02.01.010.00", "DE02.01.026.00")


class MaskStep:
    name: ClassVar[str] = "mask"
    title_zh: ClassVar[str] = "静态脱敏：为科研场景脱敏一家医院并验证"
    title_en: ClassVar[str] = "Static masking of one hospital for research, verified"

    def run(self, ctx: DemoContext) -> None:
        alliance = ctx.artifacts.get("alliance")
        if alliance is None:
            ctx.say(ctx.t("   （没有模拟医联体，跳过）", "   (no synthetic alliance: skipped)"))
            return
        hospital, source = next(iter(alliance.databases.items()))
        table = alliance.table(hospital, TABLE) if hasattr(alliance, "table") else TABLE
        columns, origin = _columns(ctx, alliance, hospital, source, table)
        ctx.say(ctx.t(f"   字段的数据元来自{origin[0]}", f"   column elements from {origin[1]}"))
        use = UseContext(
            form=Form.MASKED,
            stage=Stage.SHARE,
            scope=Scope.ALLIANCE,
            role="researcher",
            scenario="clinical_pathway",
        )
        plan = plan_for(columns, grant_masking(ctx.bundle, use), ctx.bundle)
        rules = {c.column: (c.operator, c.params) for c in plan.columns}
        ring = KeyRing()
        ring.rotate("demo")
        target = f"sqlite:///{ctx.workdir / 'research_release.db'}"
        result = mask_database(
            source,
            target,
            plans={table: plan_from_rules(rules, ring.context(release_id="demo-research"))},
            store_url=f"sqlite:///{ctx.workdir / 'mask_jobs.db'}",
            ledger=ctx.ledger,
            scenario=use.scenario,
            role=use.role,
            actor="demo",
        )
        ctx.say(
            ctx.t(
                f"   医院 {hospital}：{table} 表 {result.rows} 行已脱敏（作业 {result.job_id}）",
                f"   hospital {hospital}: {result.rows} rows of {table} masked (job {result.job_id})",
            )
        )
        shown = [c for c, e in columns.items() if e in SHOWN]
        before, after = read_table(source, table), read_table(target, table)
        ctx.say(ctx.t("   脱敏前：", "   before:"))
        _show(ctx, before.select(shown).head(3))
        ctx.say(ctx.t("   脱敏后：", "   after:"))
        _show(ctx, after.select(shown).head(3))
        quasi = [c for c, e in columns.items() if e in QUASI]
        verify = partial(
            verify_release,
            bundle=ctx.bundle,
            quasi=quasi,
            elements=sorted({e for e in columns.values() if e}),
            context=use,
            table=table,
            replaced=plan.replaced_columns(),
        )
        report = verify(after)
        if not _release(ctx, report):
            kept, dropped = suppress_small_classes(
                after, quasi, ctx.bundle.meta.privacy.k_anonymity
            )
            ctx.say(
                ctx.t(
                    f"   抑制小于 k 的等价类：删除 {dropped} 行后重新验证",
                    f"   small classes suppressed: {dropped} rows removed, verified again",
                )
            )
            report = verify(kept)
            _release(ctx, report)
        ctx.artifacts["mask_report"] = report
        ctx.report("脱敏发布 k 值", "masked release k", report.measure.k)
        ctx.report(
            "脱敏发布级别",
            "masked release level",
            f"{report.level_before.level.en} -> {report.level_after.level.en}",
        )


def _columns(
    ctx: DemoContext, alliance: Any, hospital: str, source: str, table: str
) -> tuple[dict[str, str | None], tuple[str, str]]:
    """Column -> element of one table: from the scan's catalogue when the demo scanned, else
    from the synthetic alliance's ground truth."""
    from medshield.classify.scan import safe_url

    graded = ctx.artifacts.get("level_map", {}).get(safe_url(source), {}).get(table)
    if graded:
        elements = {column: info["element"] for column, info in graded.items()}
        return elements, ("扫描分级目录", "the graded catalogue of the scan")
    with open(alliance.ground_truth, encoding="utf-8", newline="") as handle:
        truth = {
            row["column"]: row["element"] or None
            for row in csv.DictReader(handle)
            if row["institution"] == hospital and row["table"] == table
        }
    return truth, ("模拟数据的真值表", "the ground truth of the synthetic data")


def _show(ctx: DemoContext, frame: pl.DataFrame) -> None:
    for row in frame.iter_rows():
        ctx.say("     " + " | ".join("∅" if v is None else str(v) for v in row))


def _release(ctx: DemoContext, report: VerificationReport) -> bool:
    m = report.measure
    ctx.say(
        ctx.t(
            f"   验证：k={m.k}（要求 ≥{report.k_required}），重识别风险 最大 {m.max_risk:.2f} 平均 {m.avg_risk:.2f}，残留标识 {len(report.residuals)} 处",
            f"   verification: k={m.k} (needs >= {report.k_required}), re-identification risk max {m.max_risk:.2f} avg {m.avg_risk:.2f}, residual identifiers {len(report.residuals)}",
        )
    )
    try:
        require_release(report, actor="demo", append=ctx.ledger.append_many if ctx.ledger else None)
    except ReleaseRefusedError:
        why = "; ".join(report.reasons)
        ctx.say(
            ctx.t(f"   拒绝发布（已记入账本）：{why}", f"   release refused (in the ledger): {why}")
        )
        ctx.say(
            ctx.t(
                f"   有效级别不降：{report.level_before.level.label('zh')} -> {report.level_after.level.label('zh')}",
                f"   no downgrade: {report.level_before.level.en} -> {report.level_after.level.en}",
            )
        )
        return False
    ctx.say(
        ctx.t(
            f"   已验证，可以发布；有效级别 {report.level_before.level.label('zh')} -> {report.level_after.level.label('zh')}",
            f"   verified, released; effective level {report.level_before.level.en} -> {report.level_after.level.en}",
        )
    )
    return True
