"""Traffic: pagination and counts reveal nothing hidden, aggregates suppress small groups,
rate limits (one process, and two processes sharing Redis), metrics with bounded labels."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from tests.gateway.conftest import ADMIN_KEY, CODE_SECRET, M1, Gateway, free_port, policy_copy

from medshield.demo.applications import file_approved_application
from medshield.ledger import open_ledger
from medshield.policy import load_bundle

REDIS = "redis://127.0.0.1:6379/0"


def _busiest(gateway: Gateway) -> tuple[str, int]:
    engine = create_engine(gateway.ctx.sources.urls["h1"])
    with engine.connect() as conn:
        row = conn.execute(text(
            "SELECT p.id_no, COUNT(*) n FROM visit v JOIN patient p ON p.patient_id = v.patient_id "
            "GROUP BY p.id_no ORDER BY n DESC, p.id_no LIMIT 1"
        )).one()  # fmt: skip
    engine.dispose()
    return str(row[0]), int(row[1])


def test_pages_give_no_total_and_stop_at_the_last(gateway: Gateway) -> None:
    token = gateway.issue()["token"]
    id_no, visits = _busiest(gateway)
    assert visits >= 2
    seen = []
    offset: int | None = 0
    with gateway.client(headers={"Authorization": f"Bearer {token}", **M1}) as c:
        while offset is not None:
            body = c.get(f"/api/v1/patients/{id_no}/visits?limit=1&offset={offset}").json()
            assert set(body) == {"api", "count", "items", "intercepted", "next_offset"}
            assert body["count"] == len(body["items"]) <= 1
            seen += body["items"]
            offset = body["next_offset"]
            if not body["items"]:
                break
        # A patient unknown to the source looks exactly like one without visits.
        nobody = c.get("/api/v1/patients/11010519491231002X/visits").json()
    assert len(seen) == visits
    assert nobody == {"api": "patient.visits", "count": 0, "items": [], "intercepted": [],
                      "next_offset": None}  # fmt: skip


def test_aggregates_only_with_small_groups_suppressed(gateway: Gateway) -> None:
    token = gateway.issue(
        institution="h1", role="researcher", scenario="clinical_pathway", max_level="sensitive",
        apis={"stats.visits": ["*"]}, scopes=["stats.read"],
    )["token"]  # fmt: skip
    with gateway.client(
        headers={"Authorization": f"Bearer {token}", "X-Forwarded-For": "10.1.0.9"}
    ) as c:
        body = c.get("/api/v1/stats/visits").json()
    k = gateway.ctx.bundle.meta.privacy.aggregate_min_group
    assert body["items"] and all(item["n"] >= k for item in body["items"])
    assert all(set(item) >= {"visit_type", "n", "total_cost_mean"} for item in body["items"])


def test_rate_limit_per_token_and_api(alliance: Path, tmp_path: Path) -> None:
    from tests.gateway.conftest import start_gateway

    policy = policy_copy(
        tmp_path, {"apis.yaml": ("    rate_per_minute: 600\n", "    rate_per_minute: 3\n")}
    )
    for gw in start_gateway(alliance, tmp_path, trusted="127.0.0.1/32", policy=policy):
        a, b = gw.issue()["token"], gw.issue()["token"]
        id_no, _ = gw.patient()
        path = f"/api/v1/patients/{id_no}/summary"
        with gw.client(headers=M1) as c:
            codes = [
                c.get(path, headers={"Authorization": f"Bearer {a}"}).status_code for _ in range(5)
            ]
            other = c.get(path, headers={"Authorization": f"Bearer {b}"}).status_code
            visits = c.get(
                f"/api/v1/patients/{id_no}/visits", headers={"Authorization": f"Bearer {a}"}
            )
        assert codes == [200, 200, 200, 429, 429] and other == 200 and visits.status_code == 200
        alerts = [e for e in gw.events("gateway.alert") if e.detail["kind"] == "high_frequency"]
        assert len(alerts) == 1  # one alert for the two refused calls
        with gw.admin() as admin:
            metrics = admin.get("/admin/metrics").text
        assert (
            'medshield_gateway_calls_total{api="patient.summary",code="MS617",status="4xx"} 2.0'
            in metrics
        )
        labels = {line.split("{")[1].split(",")[0] for line in metrics.splitlines()
                  if line.startswith("medshield_gateway_calls_total{")}  # fmt: skip
        assert labels <= {f'api="{a.id}"' for a in gw.ctx.bundle.apis} | {'api="other"'}


def _spawn(port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    code = "from medshield.cli.app import main; main()"
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", code, "serve", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


def _ready(url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/openapi.json", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    pytest.fail(f"gateway at {url} did not start")


@pytest.fixture
def two_processes(alliance: Path, tmp_path: Path) -> Iterator[tuple[str, str]]:
    policy = policy_copy(
        tmp_path, {"apis.yaml": ("    rate_per_minute: 600\n", "    rate_per_minute: 4\n")}
    )
    env = {**os.environ, "MEDSHIELD_HOME": str(tmp_path / "home"), "MEDSHIELD_POLICY": str(policy),
           "MEDSHIELD_GATEWAY_SOURCES": str(alliance), "MEDSHIELD_GATEWAY_STATE_URL": REDIS,
           "MEDSHIELD_GATEWAY_ADMIN_KEY": ADMIN_KEY, "MEDSHIELD_GATEWAY_CODE_SECRET": CODE_SECRET,
           "MEDSHIELD_GATEWAY_TRUSTED_PROXIES": "127.0.0.1/32"}  # fmt: skip
    urls, procs = [], []
    try:
        for _ in range(2):
            port = free_port()
            procs.append(_spawn(port, env))
            urls.append(f"http://127.0.0.1:{port}")
            _ready(urls[-1])  # one after the other: the first migrates the store
        yield urls[0], urls[1]
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(10)


def test_two_processes_sharing_redis_enforce_one_limit(two_processes: tuple[str, str]) -> None:
    first, second = two_processes
    admin = {"Authorization": f"Bearer {ADMIN_KEY}"}
    with open_ledger() as ledger:  # the processes' store (MEDSHIELD_HOME)
        approval = file_approved_application(ledger, load_bundle(), ("patient.read",))
    body = {"institution": "m1", "application": f"t{uuid.uuid4().hex[:6]}", "role": "doctor",
            "scenario": "collaborative_care", "max_level": "important",
            "apis": {"patient.summary": ["*"]}, "scopes": ["patient.read"],
            "approval": approval}  # fmt: skip
    token = httpx.post(first + "/admin/tokens", json=body, headers=admin).json()["token"]
    path = "/api/v1/patients/11010519491231002X/summary"
    headers = {"Authorization": f"Bearer {token}", **M1}
    codes = [
        httpx.get((first, second)[i % 2] + path, headers=headers).status_code for i in range(8)
    ]
    assert codes.count(200) == 4 and codes[4:] == [429] * 4, codes
