"""Demo step: a federated statistic across three hospitals; what the hub saw, what was released."""

from __future__ import annotations

from typing import ClassVar

from medshield.demo.runner import DemoContext
from medshield.federated import FederatedRequest, Hub, LedgerApprovals, RequestFlow
from medshield.federated import setup_federation as make_federation
from medshield.federated.config import read_registry
from medshield.federated.launch import running_nodes
from medshield.federated.local import LocalDatabase
from medshield.synth import build_alliance
from medshield.synth.manifest import AllianceManifest

NODES = ["h1", "h2", "h3"]


class FederatedStep:
    name: ClassVar[str] = "federated"
    title_zh: ClassVar[str] = "联邦统计：原始数据不出域，汇聚方只见掩码份额"
    title_en: ClassVar[str] = (
        "Federated statistics: raw data stays home, the hub sees masked shares"
    )

    def run(self, ctx: DemoContext) -> None:
        alliance = ctx.workdir / "alliance"
        if not (alliance / "manifest.json").exists():
            build_alliance(alliance, bundle=ctx.bundle, patients=ctx.patients, seed=ctx.seed)
        mock = build_alliance(
            ctx.workdir / "federated-mock",
            bundle=ctx.bundle,
            patients=max(60, ctx.patients // 10),
            seed=ctx.seed + 1,
        )
        federation = make_federation(alliance, ctx.workdir / "federation", NODES)
        with running_nodes(federation.nodes) as nodes, ctx.ledger_in_use() as ledger:
            urls = {n: p.url for n, p in nodes.items()}
            ctx.say(ctx.t("   三个节点进程（双向 TLS）：", "   three node processes (mutual TLS):"))
            for node, url in urls.items():
                ctx.say(f"     {node} {url}")
            hub = Hub.connect(ctx.bundle, read_registry(federation.registry), urls, federation.tls)
            gate = LedgerApprovals(ledger, ctx.bundle.federated.committee)
            flow = RequestFlow(hub, ledger, gate)
            request = FederatedRequest(
                requester="researcher-demo", template="patient_age_mean", purpose="年龄结构研究"
            )
            manifest = AllianceManifest.read(mock.out)
            preview = flow.submit(
                request,
                [LocalDatabase.open(manifest.databases[n], manifest.styles[n],
                                    manifest.tables[n]) for n in NODES],
            )  # fmt: skip
            ctx.say(ctx.t(f"   1 提交请求 {request.id}，模拟数据试算：{preview.value}",
                          f"   1 submitted {request.id}, preview on mock data: {preview.value}"))  # fmt: skip
            for node in NODES:
                gate.approve(request.id, f"owner-{node}", "owner", node)
            for member in ctx.bundle.federated.committee:
                gate.approve(request.id, member, "committee")
            ctx.say(
                ctx.t(
                    "   2 数据所有方与委员会已审批", "   2 approved by the owners and the committee"
                )
            )
            outcome = flow.run(request.id)
            ctx.say(ctx.t("   3 汇聚方收到的（掩码份额，逐个看是随机数）：",
                          "   3 what the hub received (masked shares, each random on its own):"))  # fmt: skip
            for node, answer in outcome.aggregate.seen.items():
                shown = ", ".join(f"{v:>39}" for v in answer.share)
                ctx.say(f"     {node}: [{shown}]")
            ctx.say(ctx.t(f"     份额之和 = 全联盟合计 [人数, 年龄和] = {outcome.aggregate.total}",
                          f"     sum of the shares = alliance total [count, age sum] = "
                          f"{outcome.aggregate.total}"))  # fmt: skip
            r = outcome.release
            bound = "-" if r.error_bound is None else f"{r.error_bound:.2f}"
            ctx.say(ctx.t(f"   4 发布（差分隐私 ε={r.epsilon}）：平均年龄 {r.value}，"
                          f"误差界 ±{bound}（{r.confidence:.0%}）",
                          f"   4 released (DP epsilon={r.epsilon}): mean age {r.value}, "
                          f"error bound ±{bound} ({r.confidence:.0%})"))  # fmt: skip
            psi = hub.psi("h1", "h2")
            ctx.say(ctx.t(f"   隐私求交：h1 与 h2 共有患者 {psi.shared} 人（双方都不知道是谁）",
                          f"   PSI: h1 and h2 share {psi.shared} patients (neither learns who)"))  # fmt: skip
        ctx.report("联邦平均年龄", "federated mean age", f"{r.value} ± {bound}")
        ctx.report("共有患者 h1∩h2", "shared patients h1∩h2", psi.shared)
