from __future__ import annotations

import gc
from pathlib import Path

import pytest
from tests.gateway.conftest import M1, Gateway, start_gateway


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


def test_what_the_server_built_at_start_is_left_out_of_full_collections(
    alliance: Path, tmp_path: Path
) -> None:
    """The policy, detectors and key ring are frozen for the collector while serving, and
    handed back to it when the server stops."""
    gc.unfreeze()
    serving = start_gateway(alliance, tmp_path, trusted="127.0.0.1/32")
    gateway = next(serving)
    frozen = gc.get_freeze_count()
    token = gateway.issue()["token"]
    id_no, _mobile = gateway.patient()
    with gateway.client(headers={"Authorization": f"Bearer {token}", **M1}) as c:
        assert c.get(f"/api/v1/patients/{id_no}/summary").status_code == 200
    assert frozen > 100_000
    with pytest.raises(StopIteration):
        next(serving)
    assert gc.get_freeze_count() == 0
