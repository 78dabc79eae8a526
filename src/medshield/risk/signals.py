"""Signals from the ledger propose changes to a risk's L or S; a person confirms each (R2).

A signal rule of the policy (``governance.yaml``, ``risk.signals``) counts the events that match
it (an action prefix, outcomes, detail fields) in its window. At ``threshold`` it proposes raising
the risk's likelihood or severity by one. Only events after the rule's last proposal for that risk
count again, so one burst gives one proposal. Proposals and their decisions are ledger events:
``risk.proposed``, then ``risk.assessed`` (with ``proposal``) or ``risk.rejected``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from medshield.errors import RiskRegisterError
from medshield.ledger import Event, Ledger, LedgerRecord
from medshield.policy import PolicyBundle
from medshield.policy.governance import SignalRule
from medshield.risk.register import ASSESSED, Risk, assess, read_register

PROPOSED = "risk.proposed"
REJECTED = "risk.rejected"
_EVIDENCE_KEPT = 20


@dataclass(frozen=True)
class Proposal:
    seq: int  # the ledger record of the proposal
    risk: str
    field: str  # likelihood or severity
    current: int
    proposed: int
    rule: str
    count: int
    reason: str
    evidence: tuple[int, ...]
    status: str = "open"  # open, confirmed, rejected
    decided_by: str = ""

    def as_row(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "risk": self.risk,
            "field": self.field,
            "current": self.current,
            "proposed": self.proposed,
            "rule": self.rule,
            "count": self.count,
            "status": self.status,
            "decided_by": self.decided_by,
            "reason": self.reason,
        }


def matches(rule: SignalRule, event: Event) -> bool:
    """Whether ``event`` counts for ``rule`` (events of a drill never do)."""
    if event.detail.get("drill") is True or not event.action.startswith(rule.action_prefix):
        return False
    if rule.outcomes and event.outcome not in rule.outcomes:
        return False
    return all(str(event.detail.get(k)) == v for k, v in rule.detail.items())


def _last_proposal(ledger: Ledger) -> dict[tuple[str, str], int]:
    last: dict[tuple[str, str], int] = {}
    for r in ledger.records(action_prefix=PROPOSED):
        last[(str(r.event.detail["rule"]), str(r.event.detail["risk"]))] = r.seq
    return last


def evaluate(
    ledger: Ledger, bundle: PolicyBundle, now: datetime | None = None
) -> list[dict[str, Any]]:
    """What the signal rules would propose now (nothing is written)."""
    now = now or datetime.now(UTC)
    register = read_register(ledger)
    last = _last_proposal(ledger)
    drafts: list[dict[str, Any]] = []
    for rule in bundle.governance.risk.signals:
        risk = register.get(rule.risk)
        if risk is None:
            raise RiskRegisterError(f"signal rule {rule.name!r} names unknown risk {rule.risk!r}")
        current = getattr(risk, rule.raises)
        if current >= 5:
            continue
        after = last.get((rule.name, rule.risk), 0)
        since = now - timedelta(days=rule.window_days)
        hits = [
            r.seq
            for r in ledger.records(since=since, until=now, action_prefix=rule.action_prefix)
            if r.seq > after and matches(rule, r.event)
        ]
        if len(hits) >= rule.threshold:
            drafts.append(_draft(rule, risk, current, hits))
    return drafts


def _draft(rule: SignalRule, risk: Risk, current: int, hits: list[int]) -> dict[str, Any]:
    return {
        "risk": risk.id,
        "field": rule.raises,
        "current": current,
        "proposed": current + 1,
        "rule": rule.name,
        "count": len(hits),
        "reason": rule.reason or rule.name,
        "evidence": hits[-_EVIDENCE_KEPT:],
    }


def propose(
    ledger: Ledger, bundle: PolicyBundle, actor: str, now: datetime | None = None
) -> list[Proposal]:
    """Run the signal rules and record each proposal (``risk.proposed``)."""
    events = [
        Event(action=PROPOSED, actor=actor, detail=d, policy_version=bundle.version)
        for d in evaluate(ledger, bundle, now)
    ]
    seqs = {receipt.seq for receipt in ledger.append_many(events)}
    return [p for p in proposals(ledger) if p.seq in seqs]


def _proposal(record: LedgerRecord) -> Proposal:
    d = record.event.detail
    return Proposal(
        seq=record.seq,
        risk=str(d["risk"]),
        field=str(d["field"]),
        current=int(d["current"]),
        proposed=int(d["proposed"]),
        rule=str(d["rule"]),
        count=int(d["count"]),
        reason=str(d["reason"]),
        evidence=tuple(int(s) for s in d["evidence"]),
    )


def proposals(ledger: Ledger) -> list[Proposal]:
    """Every proposal with its status, from the ledger."""
    found = {r.seq: _proposal(r) for r in ledger.records(action_prefix=PROPOSED)}
    for r in ledger.records(action_prefix="risk."):
        ref = r.event.detail.get("proposal")
        if r.event.action in (ASSESSED, REJECTED) and ref in found:
            status = "confirmed" if r.event.action == ASSESSED else "rejected"
            p = found[ref]
            found[ref] = Proposal(**{**p.__dict__, "status": status, "decided_by": r.event.actor})
    return list(found.values())


def decide(
    ledger: Ledger,
    actor: str,
    proposal_seq: int,
    *,
    confirm: bool,
    reason: str,
    policy_version: str | None = None,
) -> Proposal:
    """A person confirms (a new assessment) or rejects (with its reason) one open proposal."""
    by_seq = {p.seq: p for p in proposals(ledger)}
    p = by_seq.get(proposal_seq)
    if p is None:
        raise RiskRegisterError(f"no risk proposal at seq {proposal_seq}", where=str(proposal_seq))
    if p.status != "open":
        raise RiskRegisterError(f"proposal {proposal_seq} is already {p.status}")
    if not reason.strip():
        raise RiskRegisterError("a decision on a proposal needs a reason")
    if confirm:
        risk = read_register(ledger)[p.risk]
        values = {"likelihood": risk.likelihood, "severity": risk.severity, p.field: p.proposed}
        assess(ledger, actor, p.risk, values["likelihood"], values["severity"], reason,
               proposal=p.seq, policy_version=policy_version)  # fmt: skip
    else:
        ledger.append(Event(action=REJECTED, actor=actor, policy_version=policy_version,
                            detail={"proposal": p.seq, "risk": p.risk, "reason": reason}))  # fmt: skip
    return {q.seq: q for q in proposals(ledger)}[proposal_seq]
