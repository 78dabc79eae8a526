"""Running a probe against a live gateway: refusal, consent, call, schema, masking.

The probe calls as a canary token (an application registered only for probes) about a synthetic
patient that exists only for probes; its consent code comes from that patient's SMS inbox.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from medshield.probes.catalogue import Probe

CODE = re.compile(r"验证码(\d{6})")


@dataclass(frozen=True)
class ProbeTarget:
    base_url: str
    token: str  # the canary token
    patient: str  # the probe patient's id number
    secrets: tuple[str, ...]  # raw values of the probe patient that must never leave in clear
    sms_inbox: Callable[[], str | None] | None = None  # the last SMS to the probe patient
    headers: dict[str, str] = field(default_factory=dict)
    timeout_s: float = 10.0


@dataclass
class ProbeResult:
    probe: str
    api: str
    ok: bool
    steps: list[str]  # the steps passed, in order
    failed_step: str | None = None
    reason: str = ""
    ms: float = 0.0

    def as_row(self) -> dict[str, Any]:
        return {"probe": self.probe, "ok": self.ok, "steps": ",".join(self.steps),
                "failed_step": self.failed_step or "", "reason": self.reason,
                "ms": round(self.ms, 1)}  # fmt: skip


class _StepFailedError(Exception):
    def __init__(self, step: str, reason: str) -> None:
        super().__init__(reason)
        self.step, self.reason = step, reason


def _expect(step: str, response: httpx.Response, status: int, code: str | None = None) -> None:
    body = (
        response.json()
        if response.headers.get("content-type", "").startswith("application/")
        else {}
    )
    got = body.get("code") if isinstance(body, dict) else None
    if response.status_code != status or (code is not None and got != code):
        raise _StepFailedError(
            step,
            f"expected HTTP {status} {code or ''}, got {response.status_code} {got or ''}".strip(),
        )


def gateway_inbox(
    base_url: str, token: str, headers: dict[str, str] | None = None, timeout_s: float = 10.0
) -> Callable[[], str | None]:
    """The probe patient's SMS inbox as the gateway keeps it for this canary token
    (``GET /probe/inbox``, MEDSHIELD_GATEWAY_PROBE_PATIENT): what a runner without a phone uses."""

    def read() -> str | None:
        auth = {"Authorization": f"Bearer {token}", **(headers or {})}
        response = httpx.get(f"{base_url.rstrip('/')}/probe/inbox", headers=auth, timeout=timeout_s)
        if response.status_code != 200:
            raise _StepFailedError(
                "consent", f"the probe inbox answered HTTP {response.status_code}"
            )
        message = response.json().get("message")
        return str(message) if message else None

    return read


def run_probe(probe: Probe, target: ProbeTarget) -> ProbeResult:
    started = time.perf_counter()
    result = ProbeResult(probe.name, probe.api, ok=False, steps=[])
    path = probe.path.replace("{patient}", target.patient)
    auth = {"Authorization": f"Bearer {target.token}", **target.headers}
    try:
        with httpx.Client(base_url=target.base_url, timeout=target.timeout_s) as c:
            _expect("refusal", c.get(path, headers=target.headers), 401)
            headers = dict(auth)
            if probe.requires_consent:
                _expect("refusal", c.get(path, headers=auth), 403, "MS615")
                headers["X-MS-Consent"] = _consent(c, path, auth, target)
                result.steps.append("consent")
            result.steps.insert(0, "refusal")
            response = c.get(path, headers=headers)
            _expect("call", response, 200)
            result.steps.append("call")
            body = response.json()
            _schema(probe, body)
            result.steps.append("schema")
            _masking(body, target.secrets)
            result.steps.append("masking")
        result.ok = True
    except _StepFailedError as exc:
        result.failed_step, result.reason = exc.step, exc.reason
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        result.failed_step, result.reason = "call", f"unreachable: {exc}"
    result.ms = (time.perf_counter() - started) * 1000
    return result


def _consent(c: httpx.Client, path: str, auth: dict[str, str], target: ProbeTarget) -> str:
    response = c.post(path + "/consent", headers=auth)
    _expect("consent", response, 200)
    message = target.sms_inbox() if target.sms_inbox else None
    found = CODE.search(message or "")
    if found is None:
        raise _StepFailedError("consent", "no consent code reached the probe patient's SMS inbox")
    return f"{response.json()['consent_id']}:{found.group(1)}"


def _schema(probe: Probe, body: Any) -> None:
    if not isinstance(body, dict) or body.get("api") != probe.api:
        raise _StepFailedError("schema", "the body does not name the API")
    items = body.get("items")
    if not isinstance(items, list) or not items:
        raise _StepFailedError("schema", "no records for the probe patient")
    extra = {k for item in items for k in item} - set(probe.fields)
    if extra:
        raise _StepFailedError("schema", f"undeclared fields {sorted(extra)}")


def _masking(body: Any, secrets: tuple[str, ...]) -> None:
    text = json.dumps(body.get("items"), ensure_ascii=False)
    leaked = [s for s in secrets if s and s in text]
    if leaked:
        raise _StepFailedError(
            "masking", f"{len(leaked)} raw identifier(s) of the probe patient in clear"
        )
