"""Demo step: the risk register and its heat map, one approval that makes a new policy version
active (the two-person rule shown), and one tabletop drill."""

from __future__ import annotations

import shutil
from collections import Counter
from typing import ClassVar

from medshield import atomic
from medshield.demo.runner import DemoContext
from medshield.errors import ApprovalError
from medshield.governance import Admin, active_version, vote
from medshield.ledger import Ledger
from medshield.policy import load_bundle
from medshield.risk import Band, heatmap_html, read_register


class GovernanceStep:
    name: ClassVar[str] = "governance"
    title_zh: ClassVar[str] = "安全治理：风险登记册、策略审批与应急演练"
    title_en: ClassVar[str] = "Governance: risk register, policy approval and an incident drill"

    def run(self, ctx: DemoContext) -> None:
        with ctx.ledger_in_use() as ledger:
            self._register(ctx, ledger)
            self._approval(ctx, ledger)
            self._drill(ctx, ledger)

    def _register(self, ctx: DemoContext, ledger: Ledger) -> None:
        risks = list(read_register(ledger).values())
        bands = Counter(r.band for r in risks)
        page = ctx.workdir / "risk_heatmap.html"
        atomic.write_text(page, heatmap_html(risks))
        counts_zh = "，".join(f"{b.zh} {bands[b]}" for b in Band if bands[b])
        counts_en = ", ".join(f"{bands[b]} {b.value}" for b in Band if bands[b])
        ctx.say(ctx.t(f"   风险登记册（表1）{len(risks)} 项：{counts_zh}",
                      f"   risk register (Table 1), {len(risks)} risks: {counts_en}"))  # fmt: skip
        top = max(risks, key=lambda r: r.score)
        ctx.say(ctx.t(f"   最高：{top.id} {top.point} L={top.likelihood} S={top.severity} R={top.score}",
                      f"   highest: {top.id} L={top.likelihood} S={top.severity} R={top.score}"))  # fmt: skip
        ctx.say(ctx.t(f"   热力图：{page}", f"   heat map: {page}"))
        ctx.report("风险热力图", "risk heat map", page.name)

    def _approval(self, ctx: DemoContext, ledger: Ledger) -> None:
        folder = ctx.workdir / "policy-v2"
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(ctx.bundle.root, folder)
        gov = folder / "governance.yaml"
        text = gov.read_text(encoding="utf-8").replace("review_days: 180", "review_days: 90")
        atomic.write_text(gov, text)
        new = load_bundle(folder)
        bundle = ctx.bundle
        req = Admin(ledger, bundle, "office-01").propose_policy(
            new, "风险复评周期由180天缩短为90天"
        )
        vote(ledger, bundle, "office-02", req.id, approve=True)
        vote(ledger, bundle, "committee-01", req.id, approve=True)
        try:
            vote(ledger, bundle, "committee-01", req.id, approve=True)
        except ApprovalError as exc:  # the two-person rule
            ctx.say(ctx.t(f"   同一委员再次审批被拒：{exc.render()}",
                          f"   the same member again is refused: {exc.render()}"))  # fmt: skip
        done = vote(ledger, bundle, "committee-02", req.id, approve=True)
        active = active_version(ledger) or ""
        ctx.say(ctx.t(
            f"   策略变更审批 #{req.id}：{' → '.join(v.actor for v in done.votes)}，{done.status}",
            f"   policy change #{req.id}: {' -> '.join(v.actor for v in done.votes)}, {done.status}",
        ))  # fmt: skip
        ctx.say(ctx.t(f"   生效版本 {active.split(':', 1)[1][:12]}（原 {bundle.short_version}）",
                      f"   active version {active.split(':', 1)[1][:12]} (was {bundle.short_version})"))  # fmt: skip
        ctx.report("生效策略版本", "active policy version", active.split(":", 1)[1][:12])

    def _drill(self, ctx: DemoContext, ledger: Ledger) -> None:
        result = Admin(ledger, ctx.bundle, "secadmin-01").drill("leak", grade="II")
        ok = ctx.t("通过", "passed") if result.passed else ctx.t("未通过", "FAILED")
        parts = "/".join(str(n) for n in result.parts.values())
        ctx.say(ctx.t(
            f"   桌面演练（数据泄漏，Ⅱ级）：事件 #{result.incident.id}，协调/通报/现场/技术 {parts} 步，"
            f"时间线 {len(result.incident.timeline)} 条，{ok}",
            f"   tabletop drill (leak, grade II): incident #{result.incident.id}, steps {parts},"
            f" timeline {len(result.incident.timeline)} entries, {ok}",
        ))  # fmt: skip
        ctx.report("应急演练", "incident drill", f"leak II, {ok}")
