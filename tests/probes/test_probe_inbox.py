"""Probes of consent APIs from the command line: the gateway keeps the probe patient's codes,
asked by a canary token, in that token's probe inbox; real patients' consent is unchanged."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from tests.gateway.conftest import M1, Gateway

from medshield.cli.app import main
from medshield.policy import load_bundle
from medshield.probes import ProbeTarget, gateway_inbox, probes_from_catalogue, run_probe
from medshield.service.probe_inbox import ProbeInbox

RX = "/api/v1/patients/{}/prescriptions"


@pytest.fixture
def probed(gateway: Gateway) -> tuple[Gateway, str, str]:
    """The gateway with h1's first patient as the probe patient; (gateway, id_no, mobile)."""
    id_no, mobile = gateway.patient(0)
    gateway.ctx.probe_inbox = ProbeInbox(gateway.ctx.state, id_no, gateway.ctx.consent_ttl)
    return gateway, id_no, mobile


def _inbox(gateway: Gateway, token: str) -> tuple[int, dict[str, object]]:
    with gateway.client() as c:
        r = c.get("/probe/inbox", headers={"Authorization": f"Bearer {token}", **M1})
    return r.status_code, r.json()


def test_a_canary_token_reads_the_probe_patients_code_once(
    probed: tuple[Gateway, str, str],
) -> None:
    gateway, id_no, mobile = probed
    canary = str(gateway.issue(application="probe")["token"])
    sent_before = len(gateway.sms.sent)
    with gateway.client() as c:
        r = c.post(
            RX.format(id_no) + "/consent", headers={"Authorization": f"Bearer {canary}", **M1}
        )
    assert r.status_code == 200, r.text
    assert len(gateway.sms.sent) == sent_before  # no SMS left for the probe patient
    status, body = _inbox(gateway, canary)
    assert status == 200 and "验证码" in str(body["message"])
    assert _inbox(gateway, canary) == (200, {"message": None})  # taken: read once
    events = gateway.events("consent.request")
    assert events[-1].reasons == ("code kept in the probe inbox",)


def test_the_probe_of_a_consent_api_passes_with_the_gateway_inbox(
    probed: tuple[Gateway, str, str],
) -> None:
    gateway, id_no, mobile = probed
    canary = str(gateway.issue(application="probe")["token"])
    (probe,) = [p for p in probes_from_catalogue(load_bundle()) if p.api == "patient.prescriptions"]
    result = run_probe(probe, ProbeTarget(gateway.url, canary, id_no, (id_no, mobile), headers=M1,
                                          sms_inbox=gateway_inbox(gateway.url, canary, M1)))  # fmt: skip
    assert result.ok, result.as_row()
    assert result.steps == ["refusal", "consent", "call", "schema", "masking"]


def test_real_patients_and_real_tokens_keep_sms_consent(probed: tuple[Gateway, str, str]) -> None:
    gateway, id_no, _ = probed
    other_id, other_mobile = gateway.patient(1)
    canary = str(gateway.issue(application="probe")["token"])
    real = str(gateway.issue(application="his")["token"])
    with gateway.client() as c:
        # a canary token about a real patient: the code goes to that patient's phone
        r = c.post(
            RX.format(other_id) + "/consent", headers={"Authorization": f"Bearer {canary}", **M1}
        )
        assert r.status_code == 200
        last = gateway.sms.last_to(other_mobile)
        assert last is not None and "验证码" in last.message
        assert _inbox(gateway, canary) == (200, {"message": None})
        # a real token about the probe patient: sent by SMS as to anyone, never to an inbox
        before = len(gateway.sms.sent)
        r = c.post(RX.format(id_no) + "/consent", headers={"Authorization": f"Bearer {real}", **M1})
        assert r.status_code == 200 and len(gateway.sms.sent) == before + 1
    status, body = _inbox(gateway, real)  # and a real token has no inbox
    assert status == 403 and body["code"] == "MS983"


def test_a_code_is_bound_to_the_canary_token_that_asked(probed: tuple[Gateway, str, str]) -> None:
    gateway, id_no, _ = probed
    first = str(gateway.issue(application="probe")["token"])
    second = str(gateway.issue(application="probe")["token"])
    with gateway.client() as c:
        c.post(RX.format(id_no) + "/consent", headers={"Authorization": f"Bearer {first}", **M1})
    assert _inbox(gateway, second) == (200, {"message": None})
    assert _inbox(gateway, first)[1]["message"]
    with gateway.client() as c:
        assert c.get("/probe/inbox").status_code == 401  # no token at all


def test_probe_run_from_the_command_line_passes_a_consent_api(
    probed: tuple[Gateway, str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    gateway, id_no, mobile = probed
    canary = str(gateway.issue(application="probe")["token"])
    args = ["medshield", "probe", "run", "--gateway", gateway.url, "--token", canary,
            "--patient", id_no, "--secret", mobile, "--forwarded-for", "10.11.0.5",
            "--only", "patient.prescriptions",
            "--url", f"sqlite:///{tmp_path / 'store.db'}", "--format", "jsonl"]  # fmt: skip
    monkeypatch.setattr(sys, "argv", args)
    main()  # returns normally: the probe passed
    (row,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert row["ok"] is True and row["steps"] == "refusal,consent,call,schema,masking", row
