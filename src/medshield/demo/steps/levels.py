"""Demo step: the level calculus on a few uses of the same data."""

from __future__ import annotations

from typing import ClassVar

from medshield.demo.runner import DemoContext
from medshield.policy import Form, Scope, Stage, UseContext, decide_access, effective_level

ELEMENTS = ("DE02.01.039.00", "DE02.01.030.00", "DE05.01.025.00")


class LevelsStep:
    name: ClassVar[str] = "levels"
    title_zh: ClassVar[str] = "分级：同一数据在不同场景下的安全级别"
    title_en: ClassVar[str] = "Grading: one piece of data, several contexts"

    def run(self, ctx: DemoContext) -> None:
        b = ctx.bundle
        uses = (
            ("机构内存储原始数据", "raw, stored inside one institution", UseContext()),
            (
                "跨医联体传输原始数据",
                "raw, transmitted across the alliance",
                UseContext(stage=Stage.TRANSMIT, scope=Scope.ALLIANCE),
            ),
            (
                "跨医联体共享已验证的脱敏数据",
                "masked and verified, shared across the alliance",
                UseContext(
                    form=Form.MASKED, verified=True, stage=Stage.SHARE, scope=Scope.ALLIANCE
                ),
            ),
            (
                "统计汇总（已验证）",
                "verified aggregate",
                UseContext(form=Form.AGGREGATED, verified=True),
            ),
        )
        names = "、".join(b.catalogue[c].zh for c in ELEMENTS)
        ctx.say(
            ctx.t(f"   数据：{names}", f"   data: {', '.join(b.catalogue[c].en for c in ELEMENTS)}")
        )
        for zh, en, use in uses:
            r = effective_level(b, ELEMENTS, use)
            ctx.say(f"   {ctx.t(zh, en):<28} -> {r.level.label(ctx.lang)}   [{r.trace}]")
        d = decide_access(b, ELEMENTS, UseContext(role="researcher", scenario="clinical_pathway"))
        verdict = ctx.t("允许", "allow") if d.allowed else ctx.t("拒绝", "deny")
        ctx.say(
            ctx.t(
                f"   科研人员访问原始数据：{verdict}（{d.reasons[0]}）",
                f"   researcher reading raw data: {verdict} ({d.reasons[0]})",
            )
        )
