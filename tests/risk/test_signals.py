from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from medshield.errors import RiskRegisterError
from medshield.ledger import Event, Ledger
from medshield.policy import PolicyBundle
from medshield.risk import decide, evaluate, proposals, propose, read_register


def _intercepts(ledger: Ledger, n: int) -> None:
    ledger.append_many(
        [Event(action="api.call", actor="client-1", outcome="deny") for _ in range(n)]
    )


def test_below_threshold_nothing_is_proposed(ledger: Ledger, bundle: PolicyBundle) -> None:
    _intercepts(ledger, 9)
    ledger.append(Event(action="api.call", actor="client-1", outcome="allow"))
    assert evaluate(ledger, bundle) == []


def test_intercepts_propose_and_a_person_confirms(ledger: Ledger, bundle: PolicyBundle) -> None:
    _intercepts(ledger, 10)
    [p] = propose(ledger, bundle, "supervisor-01")
    assert (p.risk, p.field, p.current, p.proposed, p.rule, p.count) == (
        "RK03", "likelihood", 4, 5, "intercepts", 10)  # fmt: skip
    assert read_register(ledger)["RK03"].likelihood == 4  # nothing changes until confirmed
    assert propose(ledger, bundle, "supervisor-01") == []  # the same burst proposes once
    done = decide(ledger, "office-01", p.seq, confirm=True, reason="核实属实")
    assert (done.status, done.decided_by) == ("confirmed", "office-01")
    risk = read_register(ledger)["RK03"]
    assert (risk.likelihood, risk.score, risk.band.value) == (5, 15, "important")
    with pytest.raises(RiskRegisterError):
        decide(ledger, "office-01", p.seq, confirm=False, reason="again")


def test_rejection_keeps_the_register_and_its_reason(ledger: Ledger, bundle: PolicyBundle) -> None:
    for _ in range(5):
        ledger.append(Event(action="alert.deny_burst", actor="medshield-monitor", outcome="alert"))
    [p] = propose(ledger, bundle, "supervisor-01")
    assert (p.risk, p.proposed) == ("RK10", 3)
    decide(ledger, "office-01", p.seq, confirm=False, reason="演练产生的告警")
    assert read_register(ledger)["RK10"].likelihood == 2
    [rejected] = ledger.records(action_prefix="risk.rejected")
    assert rejected.event.detail["reason"] == "演练产生的告警"
    assert proposals(ledger)[0].status == "rejected"


def test_incident_replica_and_probe_signals(ledger: Ledger, bundle: PolicyBundle) -> None:
    ledger.append(Event(action="incident.opened", actor="secadmin-01",
                        detail={"incident_class": "external_attack"}))  # fmt: skip
    ledger.append(Event(action="alert.replica_lag", actor="medshield-monitor", outcome="alert"))
    ledger.append_many([Event(action="probe.run", actor="prober", outcome="deny")] * 3)
    got = {(d["rule"], d["risk"], d["field"]) for d in evaluate(ledger, bundle)}
    assert got == {
        ("attack_incidents", "RK05", "likelihood"),
        ("replica_lag", "RK08", "likelihood"),
        ("probe_failures", "RK12", "likelihood"),
    }


def test_old_events_fall_out_of_the_window(ledger: Ledger, bundle: PolicyBundle) -> None:
    old = datetime.now(UTC) - timedelta(days=40)
    ledger.append_many([Event(action="api.call", actor="c", outcome="deny", at=old)] * 10)
    assert evaluate(ledger, bundle) == []


def test_a_risk_at_5_is_not_raised(ledger: Ledger, bundle: PolicyBundle) -> None:
    ledger.append(Event(action="incident.opened", actor="secadmin-01",
                        detail={"incident_class": "leak"}))  # fmt: skip
    assert evaluate(ledger, bundle) == []  # RK01 is already 5 x 5
