"""A failing SMS provider: the failure is recorded with its code, and the caller's answer is the
one an unknown patient gets (a failed SMS must not reveal that the patient exists)."""

from __future__ import annotations

import pytest
from tests.gateway.conftest import M1, Gateway

from medshield.service.sms_providers import open_sms


def test_a_provider_failure_is_recorded_and_hides_the_patient(
    gateway: Gateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "id")
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret")
    dead = open_sms("aliyun", {"sign_name": "医联体", "template_code": "SMS_1",
                               "endpoint": "http://127.0.0.1:9/", "timeout_s": 2})  # fmt: skip
    monkeypatch.setattr(gateway.ctx.consents, "sms", dead)
    token = gateway.issue()["token"]
    id_no, _ = gateway.patient()
    with gateway.client(headers={"Authorization": f"Bearer {token}", **M1}) as c:
        known = c.post(f"/api/v1/patients/{id_no}/prescriptions/consent")
        unknown = c.post("/api/v1/patients/110101190001010000/prescriptions/consent")
    assert known.status_code == unknown.status_code == 200
    assert known.json().keys() == unknown.json().keys() == {"consent_id", "expires_in"}
    failed = [e for e in gateway.events("gateway.alert") if e.detail.get("kind") == "sms_failed"]
    assert len(failed) == 1
    assert failed[0].detail["code"] == "MS620" and failed[0].detail["provider"] == "aliyun"
    assert failed[0].institution == "m1" and "unreachable" in failed[0].reasons[0]
