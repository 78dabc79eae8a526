"""The OpenAPI document is generated from the catalogue, and every secured operation in it
refuses a caller without credentials, the admin ones included."""

from __future__ import annotations

import re
from pathlib import Path

from tests.gateway.conftest import M1, Gateway, start_gateway

SAMPLE = {"id_no": "11010519491231002X", "token_id": "0123456789abcdef", "seq": "1"}


def test_the_document_lists_every_exposed_api(gateway: Gateway) -> None:
    with gateway.client() as c:
        doc = c.get("/openapi.json").json()
    ops = {op["operationId"] for item in doc["paths"].values() for op in item.values()}
    exposed = {a.id for a in gateway.ctx.bundle.apis if a.exposed}
    assert exposed <= ops
    assert "patient.contact" not in ops
    summary = doc["paths"]["/api/v1/patients/{id_no}/summary"]["get"]
    props = summary["responses"]["200"]["content"]["application/json"]["schema"]["properties"]
    assert "id_number" in props["items"]["items"]["properties"]


def test_every_secured_operation_refuses_no_credentials(alliance: Path, tmp_path: Path) -> None:
    for gateway in start_gateway(alliance, tmp_path, lockout_failures=10_000):
        _all_refused(gateway)


def _all_refused(gateway: Gateway) -> None:
    with gateway.client() as c:
        doc = c.get("/openapi.json").json()
        checked = 0
        for path, item in doc["paths"].items():
            url = re.sub(r"\{(\w+)\}", lambda m: SAMPLE[m.group(1)], path)
            for method, op in item.items():
                assert op.get("security"), f"{method} {path} is not secured"
                for headers in ({}, M1, {"Authorization": "Basic x"}):
                    r = c.request(method.upper(), url, headers=headers, json={})
                    assert r.status_code == 401, (method, path, r.text)
                    assert r.json()["code"] == "MS610"
                checked += 1
    assert checked >= 10


def test_refusals_are_problem_documents_without_traces(gateway: Gateway) -> None:
    with gateway.client() as c:
        for path in ("/nowhere", "/api/v1/patients/x/summary/../../../etc"):
            r = c.get(path)
            assert r.status_code == 404
            assert r.headers["content-type"].startswith("application/problem+json")
            assert r.json()["code"] == "MS618"
