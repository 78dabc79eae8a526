"""Demo step: the ledger that recorded the whole demo is replicated, drilled and verified."""

from __future__ import annotations

from typing import ClassVar

from medshield.demo.runner import DemoContext
from medshield.errors import LedgerIntegrityError
from medshield.ledger.drill import run_drill
from medshield.ledger.replica import replicate


class LedgerStep:
    name: ClassVar[str] = "ledger"
    title_zh: ClassVar[str] = "审计账本：哈希链、签名检查点、异地副本与恢复演练"
    title_en: ClassVar[str] = (
        "The ledger: hash chain, signed checkpoints, replica and recovery drill"
    )

    def run(self, ctx: DemoContext) -> None:
        ledger = ctx.ledger
        if ledger is None:
            raise LedgerIntegrityError("the demo runs without a ledger", where="demo.ledger")
        replica = ctx.workdir / "ledger-replica"
        ledger.checkpoint()
        report = ledger.verify()
        if not report.ok:
            raise LedgerIntegrityError(report.problem or "the ledger does not verify",
                                       where=f"demo ledger, seq {report.first_bad_seq}")  # fmt: skip
        shipped = replicate(ledger, [str(replica)])[0]
        seq, head_hash = ledger.head()
        actions: dict[str, int] = {}
        for record in ledger.records():
            actions[record.event.action] = actions.get(record.event.action, 0) + 1
        ctx.say(
            ctx.t(
                f"   账本记录 {seq} 条，哈希算法 {ledger.hash_alg}",
                f"   {seq} records, hash {ledger.hash_alg}",
            )
        )
        ctx.say(ctx.t(f"   链头 #{seq} {head_hash[:24]}…", f"   head #{seq} {head_hash[:24]}…"))
        for action, count in sorted(actions.items()):
            ctx.say(f"     {action:<28} {count}")
        ctx.say(ctx.t(f"   已同步到副本 {replica.name}：滞后 {shipped.lag_records} 条",
                      f"   replicated to {replica.name}: lag {shipped.lag_records} records"))  # fmt: skip
        drill = run_drill(ledger, (str(replica),))
        ctx.say(ctx.t(f"   恢复演练：恢复 {drill.restored_seq} 条，丢失已确认记录 {drill.lost} 条",
                      f"   recovery drill: {drill.restored_seq} restored, {drill.lost} acknowledged lost"))  # fmt: skip
        verdict = ctx.t("通过", "passed") if report.ok else ctx.t("失败", "FAILED")
        ctx.say(ctx.t(f"   完整性校验{verdict}：{report.checked} 条，{report.checkpoints} 个签名检查点，"
                      f"{report.rate:,.0f} 条/秒",
                      f"   verify {verdict}: {report.checked} records, {report.checkpoints} signed "
                      f"checkpoints, {report.rate:,.0f} records/s"))  # fmt: skip
        ctx.report("账本记录", "ledger records", seq)
        ctx.report("账本校验", "ledger verify", f"{verdict} ({report.rate:,.0f}/s)")
        ctx.report("恢复演练丢失", "drill: acknowledged lost", drill.lost)
        ctx.artifacts["ledger_head"] = (seq, head_hash)
        if not drill.ok:
            raise LedgerIntegrityError("recovery drill failed", where="demo ledger")
