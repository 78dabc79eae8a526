"""Forged, expired and revoked tokens; rotation; IP spoofing; lockout; signed requests."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from tests.gateway.conftest import M1, Gateway, start_gateway

from medshield.demo.applications import file_approved_application
from medshield.governance import Admin
from medshield.service.caller import request_signature
from medshield.store.models.gateway import GatewayToken


def _get(gateway: Gateway, token: str, path: str, headers: dict[str, str] | None = None) -> int:
    with gateway.client() as c:
        r = c.get(path, headers={"Authorization": f"Bearer {token}", **M1, **(headers or {})})
    if r.status_code != 200:
        assert r.headers["content-type"].startswith("application/problem+json")
        assert "Traceback" not in r.text
    return r.status_code


def test_forged_tokens_are_refused(gateway: Gateway) -> None:
    good = str(gateway.issue()["token"])
    id_no, _ = gateway.patient()
    path = f"/api/v1/patients/{id_no}/summary"
    assert _get(gateway, good, path) == 200
    token_id = good.split("_")[1]
    forged = [
        f"mst_{token_id}_{'A' * 43}",  # right id, wrong secret
        good[:-1] + ("A" if good[-1] != "A" else "B"),  # one character changed
        "mst_0123456789abcdef_" + good.split("_", 2)[2],  # right secret, other id
        "not-a-token",
        "x",
    ]
    for token in forged:
        with gateway.client() as c:
            r = c.get(path, headers={"Authorization": f"Bearer {token}", **M1})
        assert r.status_code == 401, token
        assert r.json()["code"] == "MS610"


def test_expired_token_is_refused(gateway: Gateway) -> None:
    issued = gateway.issue(ttl_seconds=1)
    id_no, _ = gateway.patient()
    path = f"/api/v1/patients/{id_no}/summary"
    assert _get(gateway, str(issued["token"]), path) == 200
    time.sleep(1.2)
    assert _get(gateway, str(issued["token"]), path) == 401


def test_revoked_and_rotated_tokens(gateway: Gateway) -> None:
    issued = gateway.issue()
    token, token_id = str(issued["token"]), str(issued["token_id"])
    id_no, _ = gateway.patient()
    path = f"/api/v1/patients/{id_no}/summary"
    with gateway.admin() as admin:
        rotated = admin.post(f"/admin/tokens/{token_id}/rotate").json()
    assert _get(gateway, token, path) == 401
    assert _get(gateway, rotated["token"], path) == 200
    with gateway.admin() as admin:
        assert admin.delete(f"/admin/tokens/{rotated['token_id']}").status_code == 200
        listed = admin.get("/admin/tokens").json()
    assert _get(gateway, rotated["token"], path) == 401
    assert all(t["revoked"] for t in listed)
    assert all("token" not in t and "secret" not in str(t) for t in listed)


def test_only_hashes_are_stored(gateway: Gateway) -> None:
    token = str(gateway.issue()["token"])
    secret = token.split("_", 2)[2]
    with Session(gateway.ctx.tokens.engine) as s:
        rows = s.query(GatewayToken).all()
    assert rows and all(secret not in str(vars(r)) for r in rows)


def test_a_spoofed_forwarded_for_from_an_untrusted_peer_is_ignored(
    alliance: Path, tmp_path: Path
) -> None:
    # No trusted proxy: the peer 127.0.0.1 is the address, whatever the header says.
    for gw in start_gateway(alliance, tmp_path, trusted=""):
        token = str(gw.issue()["token"])
        id_no, _ = gw.patient()
        assert _get(gw, token, f"/api/v1/patients/{id_no}/summary") == 403


def test_the_trusted_proxy_chain_is_read_from_the_right(gateway: Gateway) -> None:
    token = str(gateway.issue()["token"])
    id_no, _ = gateway.patient()
    path = f"/api/v1/patients/{id_no}/summary"
    # The client claims m1's address but the trusted proxy saw it come from 203.0.113.9.
    spoof = {"X-Forwarded-For": "10.11.0.5, 203.0.113.9"}
    assert _get(gateway, token, path, spoof) == 403
    assert _get(gateway, token, path, {"X-Forwarded-For": "10.12.0.5"}) == 403  # m2's range


def test_lockout_after_repeated_failures_raises_an_alert(gateway: Gateway) -> None:
    token = str(gateway.issue()["token"])
    id_no, _ = gateway.patient()
    path = f"/api/v1/patients/{id_no}/summary"
    attacker = {"X-Forwarded-For": "10.11.0.66"}
    codes = []
    for _ in range(7):
        with gateway.client() as c:
            r = c.get(path, headers={"Authorization": "Bearer mst_0123456789abcdef_" + "x" * 40,
                                     **attacker})  # fmt: skip
        codes.append(r.json()["code"])
    assert codes[:5] == ["MS610"] * 5 and codes[-1] == "MS613"
    # The right token from the locked address is refused too; other addresses still work.
    assert _get(gateway, token, path, attacker) == 429
    assert _get(gateway, token, path) == 200
    alerts = gateway.events("gateway.alert")
    assert any(e.detail.get("kind") == "lockout" for e in alerts)


@pytest.fixture
def signed(gateway: Gateway) -> Iterator[tuple[Gateway, str]]:
    yield gateway, str(gateway.issue(signed=True)["token"])


def test_signed_requests(signed: tuple[Gateway, str]) -> None:
    gateway, token = signed
    id_no, _ = gateway.patient()
    path = f"/api/v1/patients/{id_no}/summary"
    assert _get(gateway, token, path) == 401  # unsigned
    secret = token.split("_", 2)[2]
    now = str(int(time.time()))
    good = request_signature(secret, "GET", path, now, b"")
    assert _get(gateway, token, path, {"X-MS-Timestamp": now, "X-MS-Signature": good}) == 200
    bad = request_signature(secret, "GET", path + "?fields=name", now, b"")
    assert _get(gateway, token, path, {"X-MS-Timestamp": now, "X-MS-Signature": bad}) == 401
    old = str(int(time.time()) - 3600)
    stale = request_signature(secret, "GET", path, old, b"")
    assert _get(gateway, token, path, {"X-MS-Timestamp": old, "X-MS-Signature": stale}) == 401


def test_a_token_needs_an_approved_application_that_covers_it(gateway: Gateway) -> None:
    body = {"institution": "m1", "application": "his", "role": "doctor",
            "scenario": "collaborative_care", "max_level": "important",
            "apis": {"patient.summary": ["*"]}, "scopes": ["patient.read"]}  # fmt: skip
    bundle = gateway.ctx.bundle
    pending = Admin(gateway.ledger, bundle, "doctor-01").request(
        "data_access", {"scope": "patient.read", "purpose": "会诊", "until": "2099-01-01"}
    )
    narrow = file_approved_application(gateway.ledger, bundle, ("clinical.read",))
    with gateway.admin() as admin:
        for approval, code in ((None, "MS942"), (pending.id, "MS942"), (narrow, "MS942"),
                               (99999, "MS301")):  # fmt: skip
            r = admin.post("/admin/tokens", json={**body, "approval": approval})
            assert r.json()["code"] == code and "Traceback" not in r.text, r.text
        assert admin.get("/admin/tokens").json() == []
    issued = gateway.issue(**body)
    [event] = gateway.events("gateway.token.issue")
    assert event.detail["approval"] == gateway.application
    assert (event.detail["token_id"], event.detail["apis"]) == (
        issued["token_id"],
        ["patient.summary"],
    )
    assert event.detail["expires_at"] == issued["expires_at"]
    assert event.actor == f"token:{issued['token_id']}"
