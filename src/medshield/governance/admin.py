"""The admin actions of medshield, each authorised by role and recorded (R9).

``Admin(ledger, bundle, actor)`` is what the CLI (and later the gateway's admin API and the
console) call: every method first calls ``authorize`` with its admin action, so the role check
and the ``admin.<action>`` event happen in one place. Votes on approvals are not admin actions:
``approvals.vote`` checks them against the roles of the workflow step.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine

from medshield.classify.report import override
from medshield.governance import approvals, incidents, versions
from medshield.governance.authorize import authorize
from medshield.governance.drill import DrillResult, run_drill
from medshield.governance.loop import LoopRun, run_checks
from medshield.ledger import Event, Ledger
from medshield.policy import PolicyBundle
from medshield.risk import Proposal, Risk, assess, decide, propose

# admin action -> the method of ``Admin`` that performs it (share.* live in medshield.share).
ADMIN_METHODS: dict[str, str] = {
    "risk.assess": "assess_risk",
    "risk.signals": "propose_risks",
    "risk.decide": "decide_risk",
    "approval.request": "request",
    "policy.propose": "propose_policy",
    "incident.open": "open_incident",
    "incident.update": "complete_task",
    "incident.close": "close_incident",
    "incident.review": "review_incident",
    "drill.run": "drill",
    "checks.run": "run_checks",
    "training.record": "record_training",
    "catalog.review": "review_column",
}


class Admin:
    """One actor's admin session on one ledger under one policy."""

    def __init__(self, ledger: Ledger, bundle: PolicyBundle, actor: str) -> None:
        self.ledger, self.bundle, self.actor = ledger, bundle, actor

    def _authorize(self, action: str, target: object = "") -> None:
        authorize(self.ledger, self.bundle, self.actor, action, target=str(target))

    # --- the risk register ---
    def assess_risk(
        self,
        risk_id: str,
        likelihood: int,
        severity: int,
        reason: str,
        factors: dict[str, str] | None = None,
    ) -> Risk:
        self._authorize("risk.assess", risk_id)
        return assess(self.ledger, self.actor, risk_id, likelihood, severity, reason,
                      policy_version=self.bundle.version, factors=factors)  # fmt: skip

    def propose_risks(self, now: datetime | None = None) -> list[Proposal]:
        self._authorize("risk.signals")
        return propose(self.ledger, self.bundle, self.actor, now)

    def decide_risk(self, proposal: int, *, confirm: bool, reason: str) -> Proposal:
        self._authorize("risk.decide", proposal)
        return decide(self.ledger, self.actor, proposal, confirm=confirm, reason=reason,
                      policy_version=self.bundle.version)  # fmt: skip

    # --- approvals and policy versions ---
    def request(self, kind: str, subject: dict[str, Any], reason: str = "",
                now: datetime | None = None) -> approvals.ApprovalRequest:  # fmt: skip
        self._authorize("approval.request", kind)
        return approvals.request_approval(self.ledger, self.bundle, self.actor, kind, subject,
                                          reason=reason, now=now)  # fmt: skip

    def propose_policy(self, new: PolicyBundle, reason: str, change: int | None = None,
                       now: datetime | None = None) -> approvals.ApprovalRequest:  # fmt: skip
        self._authorize("policy.propose", getattr(new, "version", ""))
        return versions.propose_version(self.ledger, self.bundle, new, self.actor, reason=reason,
                                        change=change, now=now)  # fmt: skip

    # --- incidents and drills ---
    def open_incident(self, alert_seq: int | None, incident_class: str | None = None,
                      grade: str = "IV") -> incidents.Incident:  # fmt: skip
        self._authorize("incident.open", alert_seq or incident_class or "")
        return incidents.open_incident(self.ledger, self.bundle, self.actor, alert_seq=alert_seq,
                                       incident_class=incident_class, grade=grade)  # fmt: skip

    def open_from_alerts(self, grade: str = "IV") -> list[incidents.Incident]:
        self._authorize("incident.open", "alerts")
        return incidents.open_from_alerts(self.ledger, self.bundle, self.actor, grade=grade)

    def complete_task(self, incident: int, task: int, result: str = "") -> incidents.Incident:
        self._authorize("incident.update", incident)
        return incidents.complete_task(self.ledger, self.actor, incident, task, result)

    def note(self, incident: int, text: str) -> incidents.Incident:
        self._authorize("incident.update", incident)
        return incidents.note(self.ledger, self.actor, incident, text)

    def notify(self, incident: int, to: str, channel: str = "sms") -> incidents.Incident:
        self._authorize("incident.update", incident)
        return incidents.notify(self.ledger, self.actor, incident, to, channel)

    def close_incident(self, incident: int, summary: str) -> incidents.Incident:
        self._authorize("incident.close", incident)
        return incidents.close_incident(self.ledger, self.actor, incident, summary)

    def review_incident(self, incident: int, lessons: str) -> incidents.Incident:
        self._authorize("incident.review", incident)
        return incidents.review_incident(self.ledger, self.actor, incident, lessons)

    def drill(self, incident_class: str, grade: str = "III") -> DrillResult:
        self._authorize("drill.run", incident_class)
        return run_drill(self.ledger, self.bundle, self.actor, incident_class, grade)

    # --- the closed loop ---
    def run_checks(self, store: Engine | None = None, now: datetime | None = None) -> LoopRun:
        self._authorize("checks.run")
        return run_checks(self.ledger, self.bundle, self.actor, now=now, store=store)

    def record_training(self, member: str, course: str, at: datetime | None = None) -> int:
        self._authorize("training.record", member)
        receipt = self.ledger.append(Event(action="training.recorded", actor=self.actor,
                                           at=at or datetime.now(UTC),
                                           detail={"member": member, "course": course}))  # fmt: skip
        return receipt.seq

    # --- the catalogue's review queue ---
    def review_column(self, store: Engine, source: str, table: str, column: str, *,
                      reason: str, level: str | None = None,
                      element: str | None = None) -> dict[str, Any]:  # fmt: skip
        """Accept (the same level) or override a column's grading: a ``catalog.override`` event."""
        self._authorize("catalog.review", f"{source} {table}.{column}")
        return override(store, self.bundle, source, table, column, reason=reason, by=self.actor,
                        level=level, element=element)  # fmt: skip
