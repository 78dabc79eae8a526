"""The patient unified view (R34): sign-in by SMS code, one's own records only."""

from __future__ import annotations

import re

import httpx
from tests.gateway.conftest import Gateway


def _sign_in(gateway: Gateway, c: httpx.Client, id_no: str, mobile: str) -> str:
    login = c.post("/patient/login", json={"id_no": id_no}).json()["login_id"]
    code = re.search(r"验证码(\d{6})", gateway.sms.last_to(mobile).message).group(1)  # type: ignore[union-attr]
    r = c.post("/patient/session", json={"login_id": login, "code": code, "id_no": id_no})
    assert r.status_code == 200, r.text
    return str(r.json()["session"])


def test_a_patient_sees_only_their_own_records(gateway: Gateway) -> None:
    (id_a, mobile_a), (id_b, _) = gateway.patient(0), gateway.patient(1)
    with gateway.client() as c:
        session = _sign_in(gateway, c, id_a, mobile_a)
        auth = {"Authorization": f"Bearer {session}"}
        own = c.get("/patient/records/patient.visits", headers=auth)
        assert own.status_code == 200 and own.json()["count"] >= 1
        # Another patient's id in the query is not a parameter of the view: still one's own.
        also_own = c.get(f"/patient/records/patient.visits?id_no={id_b}", headers=auth)
        assert also_own.json() == own.json()
        # APIs outside the patient view, and no session, are refused.
        assert c.get("/patient/records/patient.summary", headers=auth).status_code == 404
        assert c.get("/patient/records/patient.visits").status_code == 401
        forged = {"Authorization": "Bearer mps_" + "A" * 43}
        assert c.get("/patient/records/patient.visits", headers=forged).status_code == 401


def test_sign_in_codes_are_bound_to_the_patient_and_single_use(gateway: Gateway) -> None:
    (id_a, mobile_a), (id_b, _) = gateway.patient(0), gateway.patient(1)
    with gateway.client() as c:
        login = c.post("/patient/login", json={"id_no": id_a}).json()["login_id"]
        code = re.search(r"验证码(\d{6})", gateway.sms.last_to(mobile_a).message).group(1)  # type: ignore[union-attr]
        other = c.post("/patient/session", json={"login_id": login, "code": code, "id_no": id_b})
        assert other.status_code == 403 and other.json()["code"] == "MS616"
        again = c.post("/patient/session", json={"login_id": login, "code": code, "id_no": id_a})
        assert again.status_code == 403
        unknown = c.post("/patient/login", json={"id_no": "11010519491231002X"})
        assert unknown.status_code == 200 and set(unknown.json()) == {"login_id", "expires_in"}
        bad = c.post("/patient/login", json={"id_no": "1' OR '1'='1"})
        assert bad.status_code == 400 and bad.json()["code"] == "MS300"
