from __future__ import annotations

from tests.gateway.conftest import M1, Gateway


def test_doctor_reads_a_summary_masked(gateway: Gateway) -> None:
    token = gateway.issue()["token"]
    id_no, mobile = gateway.patient()
    with gateway.client(headers={"Authorization": f"Bearer {token}", **M1}) as c:
        r = c.get(f"/api/v1/patients/{id_no}/summary")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert id_no not in r.text and mobile not in r.text
    assert "****" in item["mobile"]
