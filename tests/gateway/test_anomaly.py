"""Anomaly alerts over a real gateway: patient enumeration, off-hours use, a new source address.

Each anomaly raises exactly one ``gateway.alert`` of its kind; ordinary traffic raises none."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, text
from tests.gateway.conftest import Gateway, policy_copy, start_gateway

from medshield.ledger import Event

ANOMALIES = ("patient_enumeration", "off_hours", "new_address")
ALWAYS_WORKING = "logs:\n  remote_access: {working_hours: [0, 24]}\ngateway:\n"
NEVER_WORKING = "logs:\n  remote_access: {working_days: []}\ngateway:\n"


def _policy(tmp: Path, hours: str, max_patients: int = 3) -> Path:
    audit = policy_copy(tmp, {"audit.yaml": ("gateway:\n", hours)}) / "audit.yaml"
    text_ = audit.read_text(encoding="utf-8")
    audit.write_text(
        text_.replace("max_patients: 200", f"max_patients: {max_patients}"), encoding="utf-8"
    )
    return audit.parent


def _patients(gw: Gateway, n: int) -> list[str]:
    engine = create_engine(gw.ctx.sources.urls["h1"])
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id_no FROM patient ORDER BY id_no LIMIT :n"), {"n": n})
        found = [str(r[0]) for r in rows]
    engine.dispose()
    return found


def _anomalies(gw: Gateway) -> list[Event]:
    return [e for e in gw.events("gateway.alert") if e.detail.get("kind") in ANOMALIES]


def _summary(gw: Gateway, token: str, id_no: str, address: str = "10.11.0.5") -> int:
    with gw.client(headers={"Authorization": f"Bearer {token}", "X-Forwarded-For": address}) as c:
        return c.get(f"/api/v1/patients/{id_no}/summary?fields=gender").status_code


def test_ordinary_traffic_raises_no_anomaly(alliance: Path, tmp_path: Path) -> None:
    policy = _policy(tmp_path, ALWAYS_WORKING)
    for gw in start_gateway(alliance, tmp_path, trusted="127.0.0.1/32", policy=policy):
        token = str(gw.issue()["token"])
        patients = _patients(gw, 3)  # at the limit, not over it
        codes = [_summary(gw, token, p) for p in patients for _ in range(3)]
        assert codes == [200] * 9
        assert _anomalies(gw) == []


def test_patient_enumeration_alerts_once(alliance: Path, tmp_path: Path) -> None:
    policy = _policy(tmp_path, ALWAYS_WORKING)
    for gw in start_gateway(alliance, tmp_path, trusted="127.0.0.1/32", policy=policy):
        issued = gw.issue()
        token, other = str(issued["token"]), str(gw.issue()["token"])
        patients = _patients(gw, 8)
        assert [_summary(gw, token, p) for p in patients] == [200] * 8  # each call allowed
        assert [_summary(gw, other, p) for p in patients[:3]] == [200] * 3
        alerts = _anomalies(gw)
        assert [e.detail["kind"] for e in alerts] == ["patient_enumeration"]
        alert = alerts[0]
        assert alert.actor == f"token:{issued['token_id']}"
        assert alert.institution == "m1" and alert.outcome == "alert"
        # Keyed pseudonyms are counted: no patient's ID reaches the alert or the shared state.
        assert not any(p in alert.model_dump_json() for p in patients)
        assert "4 distinct patients" in alert.reasons[0]


def test_off_hours_use_alerts_once_per_token(alliance: Path, tmp_path: Path) -> None:
    policy = _policy(tmp_path, NEVER_WORKING, max_patients=100)
    for gw in start_gateway(alliance, tmp_path, trusted="127.0.0.1/32", policy=policy):
        token = str(gw.issue()["token"])
        id_no = _patients(gw, 1)[0]
        assert [_summary(gw, token, id_no) for _ in range(4)] == [200] * 4
        alerts = _anomalies(gw)
        assert [e.detail["kind"] for e in alerts] == ["off_hours"]
        assert "outside working hours" in alerts[0].reasons[0]


def test_a_second_source_address_alerts_once(alliance: Path, tmp_path: Path) -> None:
    policy = _policy(tmp_path, ALWAYS_WORKING)
    for gw in start_gateway(alliance, tmp_path, trusted="127.0.0.1/32", policy=policy):
        token = str(gw.issue()["token"])
        id_no = _patients(gw, 1)[0]
        assert _summary(gw, token, id_no, "10.11.0.5") == 200
        assert _summary(gw, token, id_no, "10.11.0.5") == 200
        assert _anomalies(gw) == []  # the first address is not an anomaly
        assert _summary(gw, token, id_no, "10.11.0.77") == 200
        assert _summary(gw, token, id_no, "10.11.0.78") == 200
        alerts = _anomalies(gw)
        assert [e.detail["kind"] for e in alerts] == ["new_address"]
        assert alerts[0].detail["address"] == "10.11.0.77"
        # Another token's first address is its own business.
        assert _summary(gw, str(gw.issue()["token"]), id_no, "10.11.0.99") == 200
        assert len(_anomalies(gw)) == 1


def test_anomaly_thresholds_are_checked_with_the_policy(tmp_path: Path) -> None:
    import pytest

    from medshield.errors import PolicyError
    from medshield.policy import load_bundle

    folder = policy_copy(tmp_path, {"audit.yaml": ("max_patients: 200", "max_patients: 0")})
    with pytest.raises(PolicyError):
        load_bundle(folder)


def test_two_processes_sharing_redis_count_together() -> None:
    import secrets

    from medshield.policy import load_bundle
    from medshield.service.anomaly import AnomalyWatch
    from medshield.service.state import RedisState

    audit = load_bundle().audit
    policy = audit.gateway.model_copy(update={"max_patients": 2, "off_hours": False})
    url = "redis://127.0.0.1:6379/0"
    a, b = (AnomalyWatch(RedisState(url), policy, audit.logs.remote_access) for _ in range(2))
    token = f"test-anomaly-{secrets.token_hex(6)}"  # keys of this run only
    assert a.observe(token, "10.11.0.5", "P-1") == []
    assert b.observe(token, "10.11.0.5", "P-2") == []
    assert a.observe(token, "10.11.0.5", "P-2") == []  # b's patient, not a new one
    assert [x.kind for x in b.observe(token, "10.11.0.5", "P-3")] == ["patient_enumeration"]
    assert a.observe(token, "10.11.0.5", "P-4") == []  # once per token and window
    assert [x.kind for x in a.observe(token, "10.11.0.6", None)] == ["new_address"]
    assert b.observe(token, "10.11.0.7", None) == []  # b sees the alert a raised
