"""Tabletop drills (R8): run a plan against a simulated alert and record the result.

A drill raises a simulated ``alert.drill`` event, opens a drill incident of the class, works
through every task of the plan's four parts, notifies, closes and reviews it, and appends
``drill.completed`` with the result: passed when each of the four parts had steps and every step
was carried out, so the plan is complete enough to follow.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from medshield.governance.incidents import (
    PARTS,
    Incident,
    close_incident,
    complete_task,
    get_incident,
    notify,
    open_incident,
    plan_for,
    review_incident,
)
from medshield.ledger import Event, Ledger
from medshield.policy import PolicyBundle


@dataclass(frozen=True)
class DrillResult:
    incident: Incident
    passed: bool
    parts: dict[str, int]  # steps carried out per part
    seq: int

    def as_row(self) -> dict[str, Any]:
        return {"incident": self.incident.id, "class": self.incident.incident_class,
                "grade": self.incident.grade, "passed": self.passed, **self.parts,
                "timeline": len(self.incident.timeline), "seq": self.seq}  # fmt: skip


def run_drill(
    ledger: Ledger, bundle: PolicyBundle, actor: str, incident_class: str, grade: str = "III"
) -> DrillResult:
    plan = plan_for(bundle, incident_class)
    alert = ledger.append(Event(action="alert.drill", actor=actor, outcome="alert",
                                reasons=(f"桌面演练：模拟{plan.zh}",),
                                detail={"drill": True, "incident_class": incident_class}))  # fmt: skip
    incident = open_incident(ledger, bundle, actor, alert_seq=alert.seq,
                             incident_class=incident_class, grade=grade, drill=True)  # fmt: skip
    for i, task in enumerate(incident.tasks):
        complete_task(ledger, actor, incident.id, i, result=f"演练完成：{task['step']}")
    notify(ledger, actor, incident.id, to="security_office", channel="drill")
    close_incident(ledger, actor, incident.id, summary="桌面演练结束")
    review_incident(ledger, actor, incident.id, lessons="预案四部分均可执行")
    done = get_incident(ledger, incident.id)
    parts = {part: sum(1 for t in done.tasks if t["part"] == part and t["done"]) for part in PARTS}
    passed = all(parts.values()) and all(t["done"] for t in done.tasks)
    receipt = ledger.append(Event(action="drill.completed", actor=actor,
                                  outcome="info" if passed else "alert",
                                  detail={"incident": done.id, "incident_class": incident_class,
                                          "grade": grade, "passed": passed, "parts": parts}))  # fmt: skip
    return DrillResult(done, passed, parts, receipt.seq)
