from __future__ import annotations

import pytest

from medshield.errors import IncidentError, NotAuthorisedError
from medshield.governance import Admin, get_incident
from medshield.governance.incidents import PARTS
from medshield.ledger import Event, Ledger
from medshield.policy import PolicyBundle


def test_every_plan_has_its_grades_and_four_parts(bundle: PolicyBundle) -> None:
    classes = {p.incident_class for p in bundle.governance.plans}
    assert {
        "leak",
        "tampering",
        "abuse",
        "external_attack",
        "service_interruption",
        "other",
    } <= classes
    for plan in bundle.governance.plans:
        assert [g.grade for g in plan.grades] == ["I", "II", "III", "IV"]
        assert all(getattr(plan, part) for part in PARTS)


def test_one_incident_from_alert_to_review(ledger: Ledger, bundle: PolicyBundle) -> None:
    alert = ledger.append(Event(action="alert.sql_injection", actor="medshield-audit",
                                outcome="alert", reasons=("UNION 注入",)))  # fmt: skip
    admin = Admin(ledger, bundle, "secadmin-01")
    incident = admin.open_incident(alert.seq, grade="III")
    assert (incident.incident_class, incident.grade, incident.alert) == (
        "external_attack",
        "III",
        alert.seq,
    )
    assert {t["part"] for t in incident.tasks} == set(PARTS)
    admin.note(incident.id, "来源地址已封禁")
    admin.notify(incident.id, to="security_office")
    with pytest.raises(IncidentError, match="open tasks"):
        Admin(ledger, bundle, "office-01").close_incident(incident.id, "处置完毕")
    for i in range(len(incident.tasks)):
        admin.complete_task(incident.id, i, "完成")
    with pytest.raises(NotAuthorisedError):
        admin.close_incident(incident.id, "处置完毕")  # closing is the office's
    with pytest.raises(IncidentError):
        Admin(ledger, bundle, "supervisor-01").review_incident(incident.id, "early")
    Admin(ledger, bundle, "office-01").close_incident(incident.id, "处置完毕")
    with pytest.raises(IncidentError):
        admin.note(incident.id, "too late")
    done = Admin(ledger, bundle, "supervisor-01").review_incident(incident.id, "补充注入规则")
    assert done.status == "reviewed"
    actions = [t["action"] for t in get_incident(ledger, incident.id).timeline]
    assert actions[0] == "incident.opened" and actions[-2:] == [
        "incident.closed",
        "incident.reviewed",
    ]
    assert actions.count("incident.task_done") == len(incident.tasks)
    assert "incident.notified" in actions and "incident.noted" in actions


def test_opening_needs_a_real_alert(ledger: Ledger, bundle: PolicyBundle) -> None:
    info = ledger.append(Event(action="api.call", actor="c"))
    with pytest.raises(IncidentError):
        Admin(ledger, bundle, "secadmin-01").open_incident(info.seq)
    with pytest.raises(IncidentError):
        Admin(ledger, bundle, "secadmin-01").open_incident(None, "earthquake")


def test_a_tabletop_drill(ledger: Ledger, bundle: PolicyBundle) -> None:
    result = Admin(ledger, bundle, "secadmin-02").drill("leak", grade="II")
    assert result.passed and result.incident.drill and result.incident.status == "reviewed"
    assert all(n > 0 for n in result.parts.values())
    [completed] = ledger.records(action_prefix="drill.completed")
    assert completed.event.detail["passed"] is True
    from medshield.risk import evaluate

    assert evaluate(ledger, bundle) == []  # a drill's alert and incident are not signals


def test_incidents_open_from_new_alerts_once(ledger: Ledger, bundle: PolicyBundle) -> None:
    ledger.append(Event(action="alert.chain", actor="medshield-monitor", outcome="alert"))
    ledger.append(Event(action="alert.replica_lag", actor="medshield-monitor", outcome="alert"))
    ledger.append(Event(action="alert.unlisted", actor="medshield-monitor", outcome="alert"))
    Admin(ledger, bundle, "secadmin-02").drill("abuse")
    admin = Admin(ledger, bundle, "secadmin-01")
    opened = admin.open_from_alerts()
    assert [i.incident_class for i in opened] == ["tampering", "service_interruption"]
    assert admin.open_from_alerts() == []
