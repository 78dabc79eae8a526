"""Probes against a real gateway under uvicorn: healthy, a broken API, a broken masking rule."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.gateway.conftest import M1, Gateway, policy_copy, start_gateway

from medshield.notify import Notifier
from medshield.notify.channels.recording import RecordingChannel
from medshield.policy import load_bundle
from medshield.probes import (
    ProbeTarget,
    paused_probes,
    probes_from_catalogue,
    run_probe,
    run_probes,
    set_paused,
)

ONLY = {"patient.summary", "patient.visits", "patient.prescriptions"}


def target(gateway: Gateway) -> ProbeTarget:
    token = str(gateway.issue(application="probe")["token"])  # the canary token
    id_no, mobile = gateway.patient()
    inbox = gateway.sms.last_to
    return ProbeTarget(gateway.url, token, id_no, (id_no, mobile),
                       sms_inbox=lambda: (m.message if (m := inbox(mobile)) else None),
                       headers=M1)  # fmt: skip


def notifier(gateway: Gateway) -> tuple[Notifier, RecordingChannel]:
    channel = RecordingChannel()
    bundle = load_bundle()
    return Notifier(gateway.ledger, bundle.notify, {"platform": channel}), channel  # type: ignore[dict-item]


def test_healthy_gateway_passes_every_step(gateway: Gateway) -> None:
    alerts, channel = notifier(gateway)
    probes = probes_from_catalogue(load_bundle())
    results = run_probes(probes, target(gateway), gateway.ledger, alerts, only=ONLY)
    assert {r.api: r.ok for r in results} == dict.fromkeys(ONLY, True), [
        r.as_row() for r in results
    ]
    rx = next(r for r in results if r.api == "patient.prescriptions")
    assert rx.steps == ["refusal", "consent", "call", "schema", "masking"]
    events = [r.event for r in gateway.ledger.records(action_prefix="probe.result")]
    assert len(events) == 3 and all(e.outcome == "allow" for e in events)
    assert channel.delivered == []


@pytest.fixture
def broken_api(alliance: Path, tmp_path: Path) -> Iterator[Gateway]:
    folder = policy_copy(tmp_path, {"apis.yaml": ("FROM patient WHERE id_no = :id_no",
                                                  "FROM patient_gone WHERE id_no = :id_no")})  # fmt: skip
    yield from start_gateway(alliance, tmp_path, trusted="127.0.0.1/32", policy=folder)


def test_a_broken_api_is_caught_and_alerted(broken_api: Gateway) -> None:
    alerts, channel = notifier(broken_api)
    probes = probes_from_catalogue(load_bundle())
    (result,) = run_probes(probes, target(broken_api), broken_api.ledger, alerts,
                           only={"patient.summary"})  # fmt: skip
    assert not result.ok and result.failed_step == "call"
    (alert,) = channel.delivered
    assert alert.kind == "probe.failed" and "patient.summary" in alert.title


@pytest.fixture
def broken_masking(alliance: Path, tmp_path: Path) -> Iterator[Gateway]:
    # the doctors' phone rule keeps the number instead of covering it
    edit = ("operator: cover\n    params: {keep_prefix: 3, keep_suffix: 4}", "operator: keep")
    folder = policy_copy(tmp_path, {"masking.yaml": edit})
    yield from start_gateway(alliance, tmp_path, trusted="127.0.0.1/32", policy=folder)


def test_a_broken_masking_rule_is_caught(broken_masking: Gateway) -> None:
    alerts, channel = notifier(broken_masking)
    probes = probes_from_catalogue(load_bundle())
    (result,) = run_probes(probes, target(broken_masking), broken_masking.ledger, alerts,
                           only={"patient.summary"})  # fmt: skip
    assert not result.ok, result.as_row()
    # the gateway's own response check blocks the clear number; the probe reports the refusal
    assert result.failed_step == "call" and "502 MS619" in result.reason, result.as_row()
    assert len(channel.delivered) == 1


def test_a_paused_probe_does_not_run(gateway: Gateway) -> None:
    set_paused(gateway.ledger, "probe.patient.summary", "ops")
    assert paused_probes(gateway.ledger) == {"probe.patient.summary"}
    probes = probes_from_catalogue(load_bundle())
    assert run_probes(probes, target(gateway), gateway.ledger, only={"patient.summary"}) == []
    set_paused(gateway.ledger, "probe.patient.summary", "ops", paused=False)
    assert paused_probes(gateway.ledger) == set()


def test_the_masking_step_catches_clear_identifiers_at_any_endpoint() -> None:
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route
    from tests.gateway.conftest import free_port, serve

    def summary(request: object) -> JSONResponse:
        auth = getattr(request, "headers", {}).get("authorization")
        if not auth:
            return JSONResponse({"code": "MS610"}, status_code=401)
        item = {"name": "刘**", "mobile": "15332970885"}  # the rule did not cover the phone
        return JSONResponse({"api": "patient.summary", "count": 1, "items": [item]})

    app = Starlette(routes=[Route("/api/v1/patients/{id_no}/summary", summary)])
    port = free_port()
    server, thread = serve(app, port)
    try:
        (probe,) = [p for p in probes_from_catalogue(load_bundle()) if p.api == "patient.summary"]
        result = run_probe(probe, ProbeTarget(f"http://127.0.0.1:{port}", "canary", "X1",
                                              ("15332970885",)))  # fmt: skip
    finally:
        server.should_exit = True
        thread.join(10)
    assert not result.ok and result.failed_step == "masking"
    assert result.steps == ["refusal", "call", "schema"]


def test_the_command_runs_probes_on_a_schedule(
    gateway: Gateway, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    import json
    import sys

    from medshield.cli.app import main

    t = target(gateway)
    args = ["medshield", "probe", "run", "--gateway", gateway.url, "--token", t.token,
            "--patient", t.patient, "--secret", t.secrets[1], "--forwarded-for", "10.11.0.5",
            "--only", "patient.summary", "--every", "0.01", "--max-runs", "2",
            "--url", f"sqlite:///{tmp_path / 'store.db'}", "--format", "jsonl"]  # fmt: skip
    monkeypatch.setattr(sys, "argv", args)
    main()  # returns normally: every probe passed
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["run"], r["ok"]) for r in rows] == [(1, True), (2, True)]
    assert len(gateway.events("probe.result")) == 2
