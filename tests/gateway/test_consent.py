"""SMS consent (R21): records held by another institution need the patient's one-time code,
bound to the institution, purpose, data class and request; single use, short-lived, limited."""

from __future__ import annotations

import re

import httpx
from tests.gateway.conftest import M1, Gateway


def _ask(gateway: Gateway, c: httpx.Client, id_no: str, api: str = "prescriptions") -> str:
    r = c.post(f"/api/v1/patients/{id_no}/{api}/consent")
    assert r.status_code == 200, r.text
    return str(r.json()["consent_id"])


def _code(gateway: Gateway, mobile: str) -> str:
    sms = gateway.sms.last_to(mobile)
    assert sms is not None
    found = re.search(r"验证码(\d{6})", sms.message)
    assert found is not None
    return found.group(1)


def test_the_flow_and_replay(gateway: Gateway) -> None:
    token = gateway.issue()["token"]
    id_no, mobile = gateway.patient()
    path = f"/api/v1/patients/{id_no}/prescriptions"
    with gateway.client(headers={"Authorization": f"Bearer {token}", **M1}) as c:
        refused = c.get(path)
        assert refused.status_code == 403 and refused.json()["code"] == "MS615"
        consent = _ask(gateway, c, id_no)
        code = _code(gateway, mobile)
        assert "北碚区人民医院" in gateway.sms.sent[-1].message
        ok = c.get(path, headers={"X-MS-Consent": f"{consent}:{code}"})
        assert ok.status_code == 200 and ok.json()["count"] >= 1
        replay = c.get(path, headers={"X-MS-Consent": f"{consent}:{code}"})
        assert replay.status_code == 403 and replay.json()["code"] == "MS616"
    actions = {e.action for e in gateway.events("consent.")}
    assert {"consent.request", "consent.grant", "consent.refuse"} <= actions
    shares = gateway.events("lineage.share")
    assert shares and shares[-1].detail["patient_pseudonyms"]
    assert id_no not in str(shares[-1].model_dump())


def test_a_code_for_another_patient_or_api_is_refused(gateway: Gateway) -> None:
    token = gateway.issue()["token"]
    (id_a, mobile_a), (id_b, _) = gateway.patient(0), gateway.patient(1)
    with gateway.client(headers={"Authorization": f"Bearer {token}", **M1}) as c:
        consent = _ask(gateway, c, id_a)
        code = _code(gateway, mobile_a)
        other = c.get(
            f"/api/v1/patients/{id_b}/prescriptions", headers={"X-MS-Consent": f"{consent}:{code}"}
        )
        assert other.status_code == 403 and other.json()["code"] == "MS616"
        # The code is burnt by the misuse: it no longer opens patient A either.
        again = c.get(
            f"/api/v1/patients/{id_a}/prescriptions", headers={"X-MS-Consent": f"{consent}:{code}"}
        )
        assert again.status_code == 403


def test_a_code_of_another_institution_is_refused(gateway: Gateway) -> None:
    m1 = gateway.issue()["token"]
    m2 = gateway.issue(institution="m2")["token"]
    id_no, mobile = gateway.patient()
    path = f"/api/v1/patients/{id_no}/prescriptions"
    with gateway.client(headers={"Authorization": f"Bearer {m1}", **M1}) as c:
        consent = _ask(gateway, c, id_no)
    code = _code(gateway, mobile)
    with gateway.client(
        headers={"Authorization": f"Bearer {m2}", "X-Forwarded-For": "10.12.0.9"}
    ) as c:
        r = c.get(path, headers={"X-MS-Consent": f"{consent}:{code}"})
    assert r.status_code == 403 and r.json()["code"] == "MS616"


def test_wrong_codes_are_limited_and_expiry_ends_a_code(gateway: Gateway) -> None:
    token = gateway.issue()["token"]
    id_no, mobile = gateway.patient()
    path = f"/api/v1/patients/{id_no}/prescriptions"
    with gateway.client(headers={"Authorization": f"Bearer {token}", **M1}) as c:
        consent = _ask(gateway, c, id_no)
        code = _code(gateway, mobile)
        wrong = f"{(int(code) + 1) % 1_000_000:06d}"
        for _ in range(3):
            r = c.get(path, headers={"X-MS-Consent": f"{consent}:{wrong}"})
            assert r.json()["code"] == "MS616"
        late = c.get(path, headers={"X-MS-Consent": f"{consent}:{code}"})
        assert late.status_code == 403  # the attempts are spent
        consent = _ask(gateway, c, id_no)
        code = _code(gateway, mobile)
        gateway.ctx.state.take(f"consent:{consent}")  # what expiry does to the stored code
        expired = c.get(path, headers={"X-MS-Consent": f"{consent}:{code}"})
        assert expired.status_code == 403 and "expired" in expired.json()["detail"]


def test_an_unknown_patient_gets_the_same_answer_and_no_sms(gateway: Gateway) -> None:
    token = gateway.issue()["token"]
    with gateway.client(headers={"Authorization": f"Bearer {token}", **M1}) as c:
        before = len(gateway.sms.sent)
        r = c.post("/api/v1/patients/11010519491231002X/prescriptions/consent")
    assert r.status_code == 200 and set(r.json()) == {"consent_id", "expires_in"}
    assert len(gateway.sms.sent) == before


def test_the_holding_institution_needs_no_consent(gateway: Gateway) -> None:
    token = gateway.issue(institution="h1")["token"]
    id_no, _ = gateway.patient()
    headers = {"Authorization": f"Bearer {token}", "X-Forwarded-For": "10.1.2.3"}
    with gateway.client(headers=headers) as c:
        assert c.get(f"/api/v1/patients/{id_no}/prescriptions").status_code == 200
    assert not gateway.events("lineage.share")
