"""Response checks before release (R25): another patient's records, an unmasked identifier."""

from __future__ import annotations

from pathlib import Path

from tests.gateway.conftest import M1, policy_copy, start_gateway

KEEP_IDS = (
    "rules:\n",
    "rules:\n  - {name: wrongly_kept_ids, elements: [DE02.01.030.00], roles: [doctor], "
    "operator: keep}\n",
)


def test_an_unmasked_id_number_blocks_the_response(alliance: Path, tmp_path: Path) -> None:
    policy = policy_copy(tmp_path, {"masking.yaml": KEEP_IDS})
    for gw in start_gateway(alliance, tmp_path, trusted="127.0.0.1/32", policy=policy):
        token = gw.issue()["token"]
        id_no, _ = gw.patient()
        with gw.client(headers={"Authorization": f"Bearer {token}", **M1}) as c:
            blocked = c.get(f"/api/v1/patients/{id_no}/summary")
            fine = c.get(f"/api/v1/patients/{id_no}/summary?fields=name,gender")
        assert blocked.status_code == 502 and blocked.json()["code"] == "MS619"
        assert id_no not in blocked.text
        assert fine.status_code == 200
        alerts = gw.events("gateway.alert")
        assert any(e.detail["kind"] == "response_blocked" for e in alerts)


def test_records_of_another_patient_block_the_response(alliance: Path, tmp_path: Path) -> None:
    wrong_query = (
        "FROM patient WHERE id_no = :id_no\n",
        "FROM patient WHERE id_no <> :id_no LIMIT 1\n",
    )
    policy = policy_copy(tmp_path, {"apis.yaml": wrong_query})
    for gw in start_gateway(alliance, tmp_path, trusted="127.0.0.1/32", policy=policy):
        token = gw.issue()["token"]
        id_no, _ = gw.patient()
        with gw.client(headers={"Authorization": f"Bearer {token}", **M1}) as c:
            r = c.get(f"/api/v1/patients/{id_no}/summary")
        assert r.status_code == 502 and r.json()["code"] == "MS619"
        assert "another patient" in r.json()["detail"]
