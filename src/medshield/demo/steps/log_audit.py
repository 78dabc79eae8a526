"""Demo step: a short attack replayed from server logs — SSH brute force, a database login from
the same address, a bulk export — found by the detectors and joined into one incident."""

from __future__ import annotations

from typing import ClassVar

from medshield.audit.detectors import (
    DETECTORS,
    DetectorContext,
    Finding,
    IncidentCorrelator,
    LogAudit,
)
from medshield.audit.detectors.record import finding_event
from medshield.audit.sources import SOURCES, lines_from_text
from medshield.demo.runner import DemoContext

ATTACKER = "203.0.113.7"
SSH_LOG = "".join(
    f"2026-03-02T02:1{i // 60}:{i % 60:02d}+08:00 hub-db1 sshd[{3100 + i}]: Failed password for "
    f"dba from {ATTACKER} port {40000 + i} ssh2\n"
    for i in range(0, 36, 3)
) + (f"2026-03-02T02:12:05+08:00 hub-db1 sshd[3200]: Accepted password for dba from {ATTACKER} "
     "port 40100 ssh2\n")  # fmt: skip
PG_LOG = (
    f"2026-03-02 02:14:10.120 CST [5120] dba@his {ATTACKER}(40212) LOG:  connection authorized: "
    "user=dba database=his\n"
    f"2026-03-02 02:14:31.004 CST [5120] dba@his {ATTACKER}(40212) LOG:  AUDIT: SESSION,1,1,READ,"
    'COPY,,,"COPY public.patient (id, name, id_no, phone) TO stdout",<not logged>,48211\n'
)


class LogAuditStep:
    name: ClassVar[str] = "log_audit"
    title_zh: ClassVar[str] = "服务器审计：SSH 暴力破解 → 数据库登录 → 批量导出，关联为一个事件"
    title_en: ClassVar[str] = (
        "Server audit: SSH brute force -> database login -> bulk export, one incident"
    )

    def run(self, ctx: DemoContext) -> None:
        detect = DetectorContext.from_bundle(ctx.bundle)
        correlator = IncidentCorrelator(detect)
        found: list[Finding] = []
        for source, text, zh, en in (
            ("sshd", SSH_LOG, "SSH 认证日志", "sshd auth log"),
            ("postgres", PG_LOG, "PostgreSQL 日志（pgaudit）", "PostgreSQL log (pgaudit)"),
        ):
            audit = LogAudit(SOURCES.get(source)(), detect, DETECTORS, correlator)  # type: ignore[call-arg]
            hits = [f for f in audit.run(lines_from_text(text)) if isinstance(f, Finding)]
            ctx.say(ctx.t(f"   {zh}：{audit.counts.lines} 行，发现 {len(hits)} 项",
                          f"   {en}: {audit.counts.lines} lines, {len(hits)} findings"))  # fmt: skip
            for f in hits:
                ctx.say(f"     {f.action:<28} {f.host or '-':<14} {f.reasons[0]}")
            found += hits
        incidents = correlator.flush()
        found += incidents
        with ctx.ledger_in_use() as ledger:
            ledger.append_many([finding_event(f, ctx.bundle.short_version) for f in found])
        for incident in incidents:
            ev = incident.evidence
            ctx.say(ctx.t(f"   关联事件：{' → '.join(ev['stages'])}，来源 {', '.join(ev['addresses'])}，"
                          f"账号 {', '.join(ev['accounts'])}",
                          f"   incident: {' -> '.join(ev['stages'])}, from {', '.join(ev['addresses'])}, "
                          f"accounts {', '.join(ev['accounts'])}"))  # fmt: skip
            for entry in ev["timeline"]:
                ctx.say(f"     {entry['at']}  {entry['stage']:<8} {entry['what']}")
        ctx.artifacts["log_audit"] = {"findings": len(found), "incidents": len(incidents)}
        ctx.report("服务器审计关联事件", "server-audit incidents", len(incidents))
