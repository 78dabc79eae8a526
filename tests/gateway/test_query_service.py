"""Query-backed APIs run through the ad-hoc query service: the SQL audit's verdict on the API's
statement is taken (once) and recorded, a denied statement releases nothing, and the tier's time
limit comes with the verdict."""

from __future__ import annotations

from pathlib import Path

from tests.gateway.conftest import M1, Gateway, policy_copy, start_gateway


def _visits(gateway: Gateway, token: str, id_no: str) -> list[int]:
    with gateway.client(headers={"Authorization": f"Bearer {token}", **M1}) as c:
        return [c.get(f"/api/v1/patients/{id_no}/visits").status_code for _ in range(3)]


def test_the_statement_is_audited_once_and_its_verdict_recorded(gateway: Gateway) -> None:
    token = gateway.issue()
    id_no, _ = gateway.patient()
    assert _visits(gateway, str(token["token"]), id_no) == [200, 200, 200]
    verdicts = gateway.events("audit.query.statement")
    assert len(verdicts) == 1
    verdict = verdicts[0]
    assert verdict.actor == f"token:{token['token_id']}" and verdict.outcome == "allow"
    assert verdict.detail["tier"]["name"] in {"short", "medium", "long"}


def test_a_statement_the_audit_denies_releases_nothing(alliance: Path, tmp_path: Path) -> None:
    # A tautology in the declared query: the audit's sql_injection rule denies it.
    policy = policy_copy(tmp_path, {"apis.yaml": (
        "      WHERE p.id_no = :id_no ORDER BY v.visit_time DESC",
        "      WHERE p.id_no = :id_no OR 1 = 1 ORDER BY v.visit_time DESC",
    )})  # fmt: skip
    for gw in start_gateway(alliance, tmp_path, trusted="127.0.0.1/32", policy=policy):
        token = str(gw.issue()["token"])
        id_no, _ = gw.patient()
        with gw.client(headers={"Authorization": f"Bearer {token}", **M1}) as c:
            refused = [c.get(f"/api/v1/patients/{id_no}/visits") for _ in range(2)]
        assert [r.status_code for r in refused] == [403, 403]
        assert {r.json()["code"] for r in refused} == {"MS901"}
        assert all("items" not in r.json() for r in refused)
        (verdict,) = gw.events("audit.query.statement")
        assert verdict.outcome == "deny"
        calls = gw.events("gateway.call")
        assert [c.detail["code"] for c in calls[-2:]] == ["MS901", "MS901"]
        assert all(c.rows == 0 for c in calls[-2:])
