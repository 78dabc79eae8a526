"""Incidents (R8): opened from an alert, worked through the plan of their class, closed, reviewed.

Each change is a ledger event carrying ``incident`` (the seq of its ``incident.opened``):
``incident.opened`` (class, grade, the alert, the tasks from the plan's four parts),
``incident.noted`` (a timeline entry), ``incident.task_done``, ``incident.notified``,
``incident.closed`` (only when every task is done) and ``incident.reviewed`` (only once closed).
The incident, its timeline and its state are read back from those events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from medshield.errors import IncidentError
from medshield.ledger import Event, Ledger, LedgerRecord
from medshield.policy import PolicyBundle
from medshield.policy.governance import EmergencyPlan

PARTS = ("coordination", "communication", "on_site_control", "technical_steps")
PARTS_ZH = {"coordination": "组织协调", "communication": "沟通通报",
            "on_site_control": "现场控制", "technical_steps": "技术处置"}  # fmt: skip


@dataclass
class Incident:
    id: int
    incident_class: str
    grade: str
    alert: int | None
    opened_by: str
    opened_at: datetime
    drill: bool
    tasks: list[dict[str, Any]]  # part, step, done, done_by
    timeline: list[dict[str, Any]] = field(default_factory=list)
    status: str = "open"  # open, closed, reviewed

    def as_row(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "class": self.incident_class,
            "grade": self.grade,
            "status": self.status,
            "drill": self.drill,
            "alert": self.alert,
            "tasks_done": sum(1 for t in self.tasks if t["done"]),
            "tasks": len(self.tasks),
            "opened_at": self.opened_at.isoformat(),
        }


def plan_for(bundle: PolicyBundle, incident_class: str) -> EmergencyPlan:
    plan = bundle.governance.plan(incident_class)
    if plan is None:
        known = ", ".join(p.incident_class for p in bundle.governance.plans)
        raise IncidentError(f"no emergency plan for {incident_class!r}; plans: {known}")
    return plan


def class_of_alert(bundle: PolicyBundle, action: str) -> str:
    """The incident class whose plan lists the alert's action prefix ("other" if none)."""
    for plan in bundle.governance.plans:
        if any(action.startswith(prefix) for prefix in plan.alerts):
            return plan.incident_class
    return "other"


def open_incident(
    ledger: Ledger,
    bundle: PolicyBundle,
    actor: str,
    *,
    alert_seq: int | None,
    incident_class: str | None = None,
    grade: str = "IV",
    drill: bool = False,
    now: datetime | None = None,
) -> Incident:
    """Open an incident from the alert at ``alert_seq`` (its class from the plans if not given)."""
    alert: LedgerRecord | None = None
    if alert_seq is not None:
        alert = next(iter(ledger.records(start_seq=alert_seq, end_seq=alert_seq)), None)
        if alert is None or alert.event.outcome != "alert":
            raise IncidentError(f"ledger record {alert_seq} is not an alert", where=str(alert_seq))
    elif incident_class is None:
        raise IncidentError("give the alert or the incident class")
    klass = incident_class or class_of_alert(bundle, alert.event.action)  # type: ignore[union-attr]
    plan = plan_for(bundle, klass)
    if grade not in {g.grade for g in plan.grades}:
        raise IncidentError(f"grade {grade!r} is not one of plan {klass}'s grades")
    tasks = [{"part": part, "step": step} for part in PARTS for step in getattr(plan, part)]
    detail = {"incident_class": klass, "grade": grade, "alert": alert_seq, "drill": drill,
              "tasks": tasks}  # fmt: skip
    receipt = ledger.append(Event(action="incident.opened", actor=actor, outcome="alert",
                                  at=now or datetime.now(UTC), detail=detail,
                                  policy_version=bundle.version))  # fmt: skip
    return get_incident(ledger, receipt.seq)


def open_from_alerts(
    ledger: Ledger, bundle: PolicyBundle, actor: str, *, grade: str = "IV"
) -> list[Incident]:
    """Open one incident for each alert a plan lists (``plans[].alerts``) that has none yet.

    Drill alerts are left alone; the grade starts at ``grade`` and is the responder's to raise."""
    prefixes = tuple(prefix for plan in bundle.governance.plans for prefix in plan.alerts)
    if not prefixes:
        return []
    handled = {i.alert for i in all_incidents(ledger).values() if i.alert is not None}
    pending = [
        r.seq
        for r in ledger.records(action_prefix="alert.")
        if r.event.outcome == "alert" and r.event.action.startswith(prefixes)
        and r.seq not in handled and r.event.detail.get("drill") is not True
    ]  # fmt: skip
    return [open_incident(ledger, bundle, actor, alert_seq=seq, grade=grade) for seq in pending]


def _append(ledger: Ledger, actor: str, incident: Incident, action: str, **detail: Any) -> Incident:
    ledger.append(Event(action=action, actor=actor, detail={"incident": incident.id, **detail}))
    return get_incident(ledger, incident.id)


def _open(ledger: Ledger, incident_id: int) -> Incident:
    incident = get_incident(ledger, incident_id)
    if incident.status != "open":
        raise IncidentError(f"incident {incident_id} is {incident.status}", where=str(incident_id))
    return incident


def note(ledger: Ledger, actor: str, incident_id: int, text: str) -> Incident:
    return _append(ledger, actor, _open(ledger, incident_id), "incident.noted", text=text)


def notify(ledger: Ledger, actor: str, incident_id: int, to: str, channel: str = "sms") -> Incident:
    incident = _open(ledger, incident_id)
    return _append(ledger, actor, incident, "incident.notified", to=to, channel=channel)


def complete_task(
    ledger: Ledger, actor: str, incident_id: int, task: int, result: str = ""
) -> Incident:
    incident = _open(ledger, incident_id)
    if not 0 <= task < len(incident.tasks):
        raise IncidentError(f"incident {incident_id} has no task {task}", where=str(task))
    if incident.tasks[task]["done"]:
        raise IncidentError(f"task {task} of incident {incident_id} is already done")
    return _append(ledger, actor, incident, "incident.task_done", task=task, result=result)


def close_incident(ledger: Ledger, actor: str, incident_id: int, summary: str) -> Incident:
    incident = _open(ledger, incident_id)
    left = [i for i, t in enumerate(incident.tasks) if not t["done"]]
    if left:
        raise IncidentError(f"incident {incident_id} has open tasks {left}", where=str(incident_id))
    return _append(ledger, actor, incident, "incident.closed", summary=summary)


def review_incident(ledger: Ledger, actor: str, incident_id: int, lessons: str) -> Incident:
    incident = get_incident(ledger, incident_id)
    if incident.status != "closed":
        raise IncidentError(
            f"only a closed incident is reviewed; {incident_id} is {incident.status}"
        )
    return _append(ledger, actor, incident, "incident.reviewed", lessons=lessons)


def all_incidents(ledger: Ledger) -> dict[int, Incident]:
    found: dict[int, Incident] = {}
    for r in ledger.records(action_prefix="incident."):
        d = r.event.detail
        if r.event.action == "incident.opened":
            found[r.seq] = Incident(
                id=r.seq, incident_class=str(d["incident_class"]), grade=str(d["grade"]),
                alert=d.get("alert"), opened_by=r.event.actor, opened_at=r.at,
                drill=bool(d.get("drill")),
                tasks=[{**t, "done": False, "done_by": ""} for t in d["tasks"]],
            )  # fmt: skip
        incident = found.get(d.get("incident", r.seq))
        if incident is None:
            continue
        incident.timeline.append({"seq": r.seq, "at": r.at.isoformat(), "action": r.event.action,
                                  "actor": r.event.actor, **{k: v for k, v in d.items()
                                                             if k not in ("tasks", "incident")}})  # fmt: skip
        if r.event.action == "incident.task_done":
            incident.tasks[int(d["task"])].update(done=True, done_by=r.event.actor)
        elif r.event.action == "incident.closed":
            incident.status = "closed"
        elif r.event.action == "incident.reviewed":
            incident.status = "reviewed"
    return found


def get_incident(ledger: Ledger, incident_id: int) -> Incident:
    incident = all_incidents(ledger).get(incident_id)
    if incident is None:
        raise IncidentError(f"no incident {incident_id}", where=str(incident_id))
    return incident
