"""The closed loop (R32): checks -> findings -> the register and policy-change proposals ->
approval -> a new active policy version, every step a ledger event that names the one before.

``run_checks`` runs every loop check and appends each new finding (``governance.finding``). The
register learns from findings through the policy's signal rules (``action_prefix:
governance.finding``), so they become ``risk.proposed`` events a person confirms. Each check with
findings also appends one ``governance.change_proposed`` (its suggested policy change, naming the
findings). ``versions.propose_version(..., change=seq)`` takes such a proposal through the
``policy_change`` approval; ``loop_trace`` walks back from an active version to its findings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from medshield.governance.checks import Finding, LoopContext, loop_check_registry
from medshield.ledger import Event, Ledger
from medshield.policy import PolicyBundle
from medshield.risk import Proposal, propose

FINDING, CHANGE = "governance.finding", "governance.change_proposed"
REPEAT_AFTER = timedelta(days=1)  # the same finding is recorded again only after a day


@dataclass(frozen=True)
class LoopRun:
    findings: list[Finding]
    recorded: list[int]  # seqs of the new finding events
    risk_proposals: list[Proposal]
    changes: list[int]  # seqs of the change proposals

    def as_rows(self) -> list[dict[str, Any]]:
        return [f.as_row() for f in self.findings]


def run_checks(
    ledger: Ledger,
    bundle: PolicyBundle,
    actor: str,
    *,
    now: datetime | None = None,
    store: Engine | None = None,
) -> LoopRun:
    now = now or datetime.now(UTC)
    ctx = LoopContext(ledger, bundle, now, store)
    recent = {(r.event.detail.get("check"), r.event.detail.get("subject"))
              for r in ctx.recent(FINDING, REPEAT_AFTER.days)}  # fmt: skip
    findings: list[Finding] = []
    recorded: list[int] = []
    changes: list[int] = []
    for check_cls in loop_check_registry():
        check = check_cls()
        found = check.run(ctx)
        findings.extend(found)
        new = [f for f in found if (f.check, f.subject) not in recent]
        receipts = ledger.append_many([
            Event(action=FINDING, actor=actor, at=now, outcome="alert", reasons=(f.message,),
                  policy_version=bundle.version,
                  detail={"check": f.check, "subject": f.subject, "count": f.count,
                          "severity": f.severity})
            for f in new
        ])  # fmt: skip
        seqs = [r.seq for r in receipts]
        recorded.extend(seqs)
        if seqs:
            change = ledger.append(Event(action=CHANGE, actor=actor, at=now,
                                         policy_version=bundle.version,
                                         detail={"check": check.name, "findings": seqs,
                                                 "suggestion": check.suggestion}))  # fmt: skip
            changes.append(change.seq)
    proposals = propose(ledger, bundle, actor, now + timedelta(microseconds=1))
    return LoopRun(findings, recorded, proposals, changes)


def loop_trace(ledger: Ledger, version: str) -> list[dict[str, Any]]:
    """From the activation of ``version`` back to the findings: the loop as the ledger shows it."""
    by_seq = {r.seq: r for r in ledger.records(action_prefix="governance.")}
    steps: list[dict[str, Any]] = []
    for r in ledger.records(action_prefix="policy.activated"):
        if r.event.detail.get("version") != version:
            continue
        steps.append({"seq": r.seq, "action": r.event.action, "actor": r.event.actor})
        request = next(iter(ledger.records(start_seq=r.event.detail["request"],
                                           end_seq=r.event.detail["request"])))  # fmt: skip
        steps.append({"seq": request.seq, "action": request.event.action,
                      "actor": request.event.actor})  # fmt: skip
        change = by_seq.get(r.event.detail.get("change") or -1)
        if change is not None:
            steps.append({"seq": change.seq, "action": change.event.action,
                          "actor": change.event.actor})  # fmt: skip
            for seq in change.event.detail["findings"]:
                f = by_seq[seq]
                steps.append({"seq": seq, "action": f.event.action, "actor": f.event.actor,
                              "check": f.event.detail["check"]})  # fmt: skip
    return sorted(steps, key=lambda s: s["seq"])
