"""Acknowledging alerts through the admin API, over a real gateway on loopback (R8).

Staff sign in with their member id and console password; ``governance.authorize`` decides and
records each request; the acknowledgement is the same ``notify.ack`` event as the CLI's.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from medshield.gateway.app import build_app
from medshield.ledger import Ledger
from medshield.ledger.open import open_ledger
from medshield.notify import Alert, Notifier, open_alerts
from medshield.notify.channels.recording import RecordingChannel
from medshield.policy import load_bundle
from medshield.service.context import open_service
from medshield.service.sms import RecordingSms
from medshield.service.sources import SourceDirectory
from medshield.store.db import connect, upgrade
from medshield.web.auth import hash_password

from .conftest import ADMIN_KEY, CODE_SECRET, free_port, serve

PASSWORDS = {"secadmin-01": "值班口令-1", "supervisor-01": "监督口令-2"}


def basic(member: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{member}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


@pytest.fixture
def served(alliance: Path, tmp_path: Path) -> Iterator[tuple[str, Ledger, list[int]]]:
    bundle = load_bundle()
    store = f"sqlite:///{tmp_path / 'store.db'}"
    upgrade(store)
    ledger = open_ledger(store, bundle=bundle)
    recording = {c.id: RecordingChannel() for c in bundle.notify.channels}
    notifier = Notifier(ledger, bundle.notify, recording)  # type: ignore[arg-type]
    raised = [
        notifier.raise_alert(Alert("probe.failed", "high", "拨测失败：患者概要", subject="a")),
        notifier.raise_alert(Alert("gateway.lockout", "medium", "管理口令多次错误", subject="b")),
    ]
    ctx = open_service(bundle, SourceDirectory.from_alliance(alliance), connect(store), ledger,
                       RecordingSms(), admin_key=ADMIN_KEY, code_secret=CODE_SECRET)  # fmt: skip
    staff = {m: hash_password(p) for m, p in PASSWORDS.items()}
    port = free_port()
    server, thread = serve(build_app(ctx, staff=staff), port)
    try:
        yield f"http://127.0.0.1:{port}", ledger, [a.seq for a in raised if a and a.seq]
    finally:
        server.should_exit = True
        thread.join(10)


def test_staff_list_open_alerts_and_acknowledge_one(served: tuple[str, Ledger, list[int]]) -> None:
    url, ledger, (first, second) = served
    officer = basic("secadmin-01", PASSWORDS["secadmin-01"])
    with httpx.Client(base_url=url, timeout=10) as c:
        listed = c.get("/admin/alerts", headers=officer)
        assert listed.status_code == 200, listed.text
        assert [a["seq"] for a in listed.json()] == [first, second]
        assert listed.json()[0]["title"] == "拨测失败：患者概要"
        done = c.post(
            f"/admin/alerts/{first}/ack", headers=officer, json={"note": "已联系接口负责人"}
        )
        assert done.status_code == 200, done.text
        assert done.json()["actor"] == "secadmin-01" and done.json()["alert"] == first
        assert [a["seq"] for a in c.get("/admin/alerts", headers=officer).json()] == [second]
        again = c.post(f"/admin/alerts/{first}/ack", headers=officer)
        assert again.status_code == 404 and again.json()["code"] == "MS982"
    acks = list(ledger.records(action_prefix="notify.ack"))
    assert len(acks) == 1 and acks[0].seq == done.json()["ack_seq"]
    assert acks[0].event.actor == "secadmin-01"
    assert acks[0].event.detail == {"alert": first} and acks[0].event.reasons == (
        "已联系接口负责人",
    )
    decided = [(r.event.action, r.event.outcome) for r in ledger.records(action_prefix="admin.")]
    assert decided == [("admin.alert.list", "allow"), ("admin.alert.ack", "allow"),
                       ("admin.alert.list", "allow"), ("admin.alert.ack", "allow")]  # fmt: skip
    assert [a["seq"] for a in open_alerts(ledger)] == [second]


@pytest.mark.parametrize(
    "headers",
    [
        {},  # anonymous
        {"Authorization": f"Bearer {ADMIN_KEY}"},  # the admin key names nobody
        basic("secadmin-01", "wrong"),
        basic("nobody", "值班口令-1"),
        {"Authorization": "Basic not-base64!"},
    ],
)
def test_anonymous_and_wrong_credentials_are_refused(
    served: tuple[str, Ledger, list[int]], headers: dict[str, str]
) -> None:
    url, ledger, (first, _) = served
    with httpx.Client(base_url=url, timeout=10) as c:
        for r in (c.get("/admin/alerts", headers=headers),
                  c.post(f"/admin/alerts/{first}/ack", headers=headers)):  # fmt: skip
            assert r.status_code == 401 and r.json()["code"] == "MS610"
    assert not list(ledger.records(action_prefix="notify.ack"))


def test_a_role_the_policy_does_not_allow_is_refused_and_recorded(
    served: tuple[str, Ledger, list[int]],
) -> None:
    url, ledger, (first, _) = served
    supervisor = basic("supervisor-01", PASSWORDS["supervisor-01"])
    with httpx.Client(base_url=url, timeout=10) as c:
        assert c.get("/admin/alerts", headers=supervisor).status_code == 200  # may look
        r = c.post(f"/admin/alerts/{first}/ack", headers=supervisor)
    assert r.status_code == 403 and r.json()["code"] == "MS941"
    assert not list(ledger.records(action_prefix="notify.ack"))
    refused = [r.event for r in ledger.records(action_prefix="admin.alert.ack")]
    assert [(e.actor, e.outcome) for e in refused] == [("supervisor-01", "deny")]


def test_the_endpoints_are_in_the_openapi_document(served: tuple[str, Ledger, list[int]]) -> None:
    url, _, _ = served
    doc = httpx.get(f"{url}/openapi.json", timeout=10).json()
    ack = doc["paths"]["/admin/alerts/{seq}/ack"]["post"]
    assert ack["security"] == [{"staff": []}] and ack["parameters"][0]["name"] == "seq"
    assert doc["paths"]["/admin/alerts"]["get"]["operationId"] == "admin.alerts.list"
    assert doc["components"]["securitySchemes"]["staff"]["scheme"] == "basic"
    # the token endpoints still need the admin key
    assert doc["paths"]["/admin/tokens"]["get"]["security"] == [{"admin": []}]
