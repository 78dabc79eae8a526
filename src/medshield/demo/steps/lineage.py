"""Demo step: a small data flow recorded in the ledger, followed and drawn (R15)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import ClassVar

from medshield.demo.runner import DemoContext
from medshield.ledger import Ledger
from medshield.lineage import ACTION_PREFIX, build_graph, downstream, patient_flow, record_step
from medshield.lineage.openlineage import write_jsonl
from medshield.lineage.render import FORMS, STAGES, write_html
from medshield.mask.operators.pseudonym import make_pseudonym

DIAGNOSIS = ("DE05.01.024.00",)  # the diagnosis element; the level comes from the policy
# stage, actor, from, to, form, minutes after the start, minutes it took
FLOW = (
    ("collect", "his-m1", "m1_his/outpatient_visit", "m1_ods/visit", "raw", 0, 1),
    ("transmit", "hub-etl", "m1_ods/visit", "hub_ods/visit", "raw", 5, 2),
    ("store", "hub-dw", "hub_ods/visit", "hub_dw/visit", "raw", 10, 3),
    ("process", "mask-job-7", "hub_dw/visit", "hub_dw/visit_masked", "masked", 20, 4),
    ("share", "researcher-007", "hub_dw/visit_masked", "research/cohort_itp", "masked", 30, 1),
    ("share", "stat-job", "hub_dw/visit", "public/monthly_report", "aggregated", 40, 2),
)


class LineageStep:
    name: ClassVar[str] = "lineage"
    title_zh: ClassVar[str] = "数据流向图：数据去了哪里、以何种形态、经谁之手"
    title_en: ClassVar[str] = "Data-flow graph: where data went, in what form, by whom"

    def run(self, ctx: DemoContext) -> None:
        with ctx.ledger_in_use() as ledger:
            self._run(ctx, ledger)

    def _run(self, ctx: DemoContext, ledger: Ledger) -> None:
        secret = hashlib.sha256(f"demo-lineage-{ctx.seed}".encode()).digest()
        patients = [make_pseudonym(f"m1-{ctx.seed}-{i}", "demo", secret, length=16, prefix="P")
                    for i in range(5)]  # fmt: skip
        start = datetime.now(UTC) - timedelta(hours=1)
        level = (
            ctx.bundle.catalogue[DIAGNOSIS[0]].level
            if DIAGNOSIS[0] in ctx.bundle.catalogue
            else None
        )
        first_seq: int | None = None
        for stage, actor, src, dst, form, offset, took in FLOW:
            shared = patients if stage != "share" or form != "aggregated" else []
            receipt = record_step(
                ledger, stage=stage, actor=actor, from_=src, to=dst, form=form,
                elements=DIAGNOSIS, level=level, rows=len(patients) * 40,
                time_in=start + timedelta(minutes=offset),
                time_out=start + timedelta(minutes=offset + took),
                pseudonyms=shared[:3] if form == "masked" else shared, job=f"demo-{stage}",
            )  # fmt: skip
            first_seq = first_seq or receipt.seq
        # this run's steps only, should the ledger already hold an earlier tour
        graph = build_graph(ledger.records(start_seq=first_seq, action_prefix=ACTION_PREFIX))
        origin = FLOW[0][2]
        ctx.say(ctx.t(f"   {origin} 的数据去向：", f"   where the data of {origin} went:"))
        for hop in downstream(graph, origin):
            e = hop.edge
            stage = f"{STAGES[e.stage]} {e.stage}" if ctx.lang == "zh" else e.stage
            form = f"{FORMS[e.form]}" if ctx.lang == "zh" else e.form
            ctx.say(f"   {'  ' * hop.depth}-> {e.dst:<24} {stage:<14} {form:<6} "
                    f"{e.actor:<15} {e.time_out:%H:%M}")  # fmt: skip
        trail = patient_flow(graph, patients[0])
        ctx.say(ctx.t(
            f"   患者 {patients[0]} 的数据经过 {len(trail)} 个环节，最后一步："
            f"{trail[-1].dst}（{FORMS[trail[-1].form]}，{trail[-1].actor}）",
            f"   patient {patients[0]}: {len(trail)} steps, last: {trail[-1].dst}"
            f" ({trail[-1].form}, by {trail[-1].actor})",
        ))  # fmt: skip
        html = write_html(graph, ctx.workdir / "lineage.html")
        events = write_jsonl(graph, ctx.workdir / "lineage.openlineage.jsonl")
        ctx.say(ctx.t(f"   流向图：{html}", f"   graph: {html}"))
        ctx.artifacts["lineage_html"] = html
        ctx.report("数据流向环节", "lineage steps", f"{len(graph)} ({events} OpenLineage events)")
        ctx.report("数据流向图", "data-flow graph", html.name)
