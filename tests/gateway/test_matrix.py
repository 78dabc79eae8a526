"""The authorization matrix: token x API x field x source address x consent, zero leaks.

The expected outcome of each cell is worked out here from the grant alone; the gateway must
agree, and no response, allowed or refused, may carry a field outside the grant or a raw
identifier of the patient."""

from __future__ import annotations

import itertools
import re
from typing import Any

from sqlalchemy import create_engine, text
from tests.gateway.conftest import Gateway

from medshield.elements.levels import Level
from medshield.ledger import Event
from medshield.ledger.canonical import canonical_body
from medshield.policy import Form, Scope, Stage, UseContext, decide_access

TOKENS: dict[str, dict[str, Any]] = {
    "m1_doctor_narrow": {
        "institution": "m1", "role": "doctor",
        "apis": {"patient.summary": ["name", "gender"], "patient.visits": ["*"],
                 "patient.prescriptions": ["*"]},
        "scopes": ["patient.read", "clinical.read", "prescription.read"],
    },
    "m1_client_wide": {
        "institution": "m1", "role": "api_client", "scenario": None, "max_level": "sensitive",
        "apis": {"patient.summary": ["*"], "patient.lab_results": ["*"]},
        "scopes": ["patient.read", "clinical.read"],
    },
    "h1_researcher": {
        "institution": "h1", "role": "researcher", "scenario": "clinical_pathway",
        "max_level": "sensitive", "apis": {"stats.visits": ["*"], "patient.summary": ["*"]},
        "scopes": ["stats.read", "patient.read"],
    },
}  # fmt: skip
ADDRESSES = {"m1": "10.11.0.5", "h1": "10.1.0.5", "other": "10.13.0.5", "outside": "192.0.2.7"}
APIS = {
    "patient.summary": "/api/v1/patients/{id}/summary",
    "patient.visits": "/api/v1/patients/{id}/visits",
    "patient.lab_results": "/api/v1/patients/{id}/lab-results",
    "patient.prescriptions": "/api/v1/patients/{id}/prescriptions",
    "stats.visits": "/api/v1/stats/visits",
}
FIELDS = (None, "name", "mobile,gender", "visit_type,total_cost")


def _raw_values(gateway: Gateway, id_no: str) -> list[str]:
    engine = create_engine(gateway.ctx.sources.urls["h1"])
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT id_no, name, mobile, address FROM patient WHERE id_no = :i"), {"i": id_no}
        ).one()
    engine.dispose()
    return [str(v) for v in row if v]


def _policy_refused(gateway: Gateway, grant: dict[str, Any], api: str) -> set[str]:
    """Fields the policy itself refuses this grant: shared across the alliance, masked and
    verified, at most the token's maximum level."""
    bundle = gateway.ctx.bundle
    use = UseContext(form=Form.MASKED, stage=Stage.SHARE, scope=Scope.ALLIANCE, verified=True,
                     role=grant["role"], scenario=grant.get("scenario", "collaborative_care"))  # fmt: skip
    limit = Level.parse(grant.get("max_level", "important"))
    refused = set()
    for f in gateway.ctx.apis[api].fields:
        d = decide_access(bundle, [f.element], use)
        if not d.allowed or (d.level is not None and d.level.level > limit):
            refused.add(f.name)
    return refused


def _expected(name: str, grant: dict[str, Any], api: str, where: str, consent: bool) -> int:
    own = grant["institution"]
    if where != own:
        return 403  # address outside the token's institution
    if api not in grant["apis"]:
        return 403
    roles = {"patient.summary": {"doctor", "api_client"}, "patient.visits": {"doctor", "api_client"},
             "patient.lab_results": {"doctor", "api_client"}, "patient.prescriptions": {"doctor"},
             "stats.visits": {"researcher", "api_client"}}  # fmt: skip
    if grant["role"] not in roles[api]:
        return 403
    if api == "patient.prescriptions" and own != "h1" and not consent:
        return 403
    return 200


def test_authorization_matrix_has_no_leaks(gateway: Gateway) -> None:
    id_no, mobile = gateway.patient()
    secrets_ = _raw_values(gateway, id_no)
    issued = {}
    for name, grant in TOKENS.items():
        body = {"application": name, "scenario": "collaborative_care", "max_level": "important",
                **grant}  # fmt: skip
        issued[name] = gateway.issue(**body)["token"]
    cells = 0
    for (name, grant), api, fields, where, consent in itertools.product(
        TOKENS.items(), APIS, FIELDS, ADDRESSES, (False, True)
    ):
        headers = {"Authorization": f"Bearer {issued[name]}", "X-Forwarded-For": ADDRESSES[where]}
        path = APIS[api].format(id=id_no) + (f"?fields={fields}" if fields else "")
        with gateway.client(headers=headers) as c:
            if consent and api == "patient.prescriptions":
                asked = c.post(APIS[api].format(id=id_no) + "/consent")
                if asked.status_code == 200:
                    code = re.search(r"验证码(\d{6})", gateway.sms.last_to(mobile).message)  # type: ignore[union-attr]
                    headers["X-MS-Consent"] = f"{asked.json()['consent_id']}:{code.group(1)}"  # type: ignore[union-attr]
            r = c.get(path, headers=headers)
        expected = _expected(name, grant, api, where, consent)
        granted = set(grant["apis"].get(api, []))
        asked_fields = set(fields.split(",")) if fields else None
        cell = f"{name} {api} fields={fields} from={where} consent={consent}"
        if r.status_code == 403 and expected == 200 and r.json()["code"] == "MS614":
            # Nothing asked is within the grant (or the policy refuses all of it): refused.
            api_fields = {f.name for f in gateway.ctx.apis[api].fields}
            assert asked_fields is not None, cell
            reachable = asked_fields & api_fields & (api_fields if "*" in granted else granted)
            assert not reachable - _policy_refused(gateway, grant, api), cell
        else:
            assert r.status_code == expected, (cell, r.text)
        for value in secrets_:
            assert value not in r.text, (cell, "raw identifier leaked")
        if r.status_code == 200:
            body = r.json()
            returned = {k for item in body["items"] for k in item}
            if "*" not in granted and api != "stats.visits":
                assert returned <= granted, cell
            if asked_fields is not None and api != "stats.visits":
                assert returned <= asked_fields, cell
                assert set(body["intercepted"]) | returned >= asked_fields, cell
        else:
            assert "items" not in r.json(), cell
        cells += 1
    assert cells == len(TOKENS) * len(APIS) * len(FIELDS) * len(ADDRESSES) * 2
    calls = gateway.events("gateway.call")
    assert len(calls) >= cells
    assert sum(1 for e in calls if e.detail["intercepted"]) > 0
    # Each call's events (copies of templates) are stored as the events they validate to.
    for record in gateway.ledger.raw_records():
        event = Event.model_validate_json(record.body)
        assert record.body == canonical_body(event), record.body
