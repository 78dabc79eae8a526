"""Demo step: the data-service gateway under traffic from several institutions (R5, R21-R25),
with the figures of the paper's section 5: calls, records, share under control, intercepts."""

from __future__ import annotations

import random
import re
import secrets
import socket
import threading
import time
from collections import Counter
from typing import Any, ClassVar

import httpx
import uvicorn
from sqlalchemy import create_engine, text

from medshield.demo.applications import file_approved_application
from medshield.demo.runner import DemoContext
from medshield.gateway.app import build_app
from medshield.ledger.events import Event
from medshield.service.context import open_service
from medshield.service.sms import RecordingSms
from medshield.service.sources import SourceDirectory
from medshield.store.db import connect, upgrade

ADMIN = "demo-admin-key"
PAPER = {"calls": 21079, "records": 109353, "controlled": 87.54, "intercepts": 2714}
CALLERS = (  # institution, an address inside its allow-list
    ("m1", "10.11.0.21"), ("m2", "10.12.0.31"), ("m3", "10.13.0.41"), ("m4", "10.14.0.51"),
    ("c1", "10.21.0.61"), ("c2", "10.22.0.71"),
)  # fmt: skip
SCOPES = ("patient.read", "clinical.read", "prescription.read")
GRANT = {
    "role": "doctor", "scenario": "collaborative_care", "max_level": "important",
    "apis": {"patient.summary": ["name", "gender", "birth_date", "insurance_type"],
             "patient.visits": ["*"], "patient.lab_results": ["*"], "patient.prescriptions": ["*"]},
    "scopes": list(SCOPES),
}  # fmt: skip
APIS = ("summary?fields=name,gender,birth_date,insurance_type", "visits", "lab-results")


class GatewayStep:
    name: ClassVar[str] = "gateway"
    title_zh: ClassVar[str] = "数据服务网关：令牌、IP 白名单、患者授权、响应检测"
    title_en: ClassVar[str] = "Data-service gateway: tokens, allow-lists, consent, response checks"

    def __init__(self, calls: int = 240) -> None:
        self.calls = calls

    def run(self, ctx: DemoContext) -> None:
        alliance = ctx.workdir / "alliance"
        store = f"sqlite:///{ctx.workdir / 'gateway-store.db'}"
        upgrade(store)
        sms = RecordingSms()
        with ctx.ledger_in_use() as ledger:
            service = open_service(
                ctx.bundle, SourceDirectory.from_alliance(alliance), connect(store), ledger, sms,
                trusted_proxies="127.0.0.1", admin_key=ADMIN, code_secret=secrets.token_bytes(32),
            )  # fmt: skip
            # Tokens are issued only under an approved data access application (scope, purpose,
            # period): a doctor applies, the security office and the committee approve.
            approval = file_approved_application(ledger, ctx.bundle, SCOPES)
            server, thread, url = _start(build_app(service))
            try:
                counts = self._traffic(ctx, url, sms, _patients(service), approval)
            finally:
                server.should_exit = True
                thread.join(30)  # the app's shutdown writes the queued events
            events = [r.event for r in ledger.records(action_prefix="gateway.call")]
        self._figures(ctx, events, counts)

    def _traffic(
        self,
        ctx: DemoContext,
        url: str,
        sms: RecordingSms,
        patients: list[tuple[str, str]],
        approval: int,
    ) -> Counter[str]:
        rng = random.Random(ctx.seed)  # noqa: S311 - traffic shape, not security
        counts: Counter[str] = Counter()
        with httpx.Client(base_url=url, timeout=10) as c:
            tokens = {}
            for inst, _ in CALLERS:
                body = {"institution": inst, "application": "his", "approval": approval, **GRANT}
                r = c.post("/admin/tokens", json=body, headers={"Authorization": f"Bearer {ADMIN}"})
                tokens[inst] = r.json()["token"]
            for _ in range(self.calls):
                inst, address = rng.choice(CALLERS)
                id_no, mobile = rng.choice(patients)
                headers = {"Authorization": f"Bearer {tokens[inst]}", "X-Forwarded-For": address}
                roll = rng.random()
                path = f"/api/v1/patients/{id_no}/{rng.choice(APIS)}"
                if roll < 0.08:  # asks for fields outside its grant
                    counts["out_of_scope"] += 1
                    path = f"/api/v1/patients/{id_no}/summary?fields=name,id_number,mobile,address"
                elif roll < 0.12:  # from an address outside the allow-list
                    counts["wrong_ip"] += 1
                    headers["X-Forwarded-For"] = "203.0.113.77"
                elif roll < 0.16:  # prescriptions without the patient's consent
                    counts["no_consent"] += 1
                    path = f"/api/v1/patients/{id_no}/prescriptions"
                elif roll < 0.18:  # an injection attempt in the patient parameter
                    counts["injection"] += 1
                    path = "/api/v1/patients/1'%20OR%20'1'='1/visits"
                elif roll < 0.26:  # prescriptions with the patient's SMS consent
                    counts["consented"] += 1
                    path = f"/api/v1/patients/{id_no}/prescriptions"
                    consent = c.post(path + "/consent", headers=headers).json()["consent_id"]
                    code = _code(sms, mobile)
                    if code:
                        headers["X-MS-Consent"] = f"{consent}:{code}"
                status = c.get(path, headers=headers).status_code
                counts[f"status_{status}"] += 1
        return counts

    def _figures(self, ctx: DemoContext, events: list[Event], counts: Counter[str]) -> None:
        calls = len(events)
        records = sum(e.rows or 0 for e in events)
        controlled = sum(int(e.detail.get("under_control", 0)) for e in events)
        intercepts = sum(1 for e in events if e.outcome == "deny" or e.detail.get("intercepted"))
        share = 100.0 * controlled / records if records else 0.0
        ctx.say(ctx.t(
            f"   流量：{len(CALLERS)} 家机构；越权字段 {counts['out_of_scope']}，错误 IP "
            f"{counts['wrong_ip']}，缺少授权 {counts['no_consent']}，注入 {counts['injection']}，"
            f"短信授权后调阅 {counts['consented']}",
            f"   traffic: {len(CALLERS)} institutions; out-of-scope fields "
            f"{counts['out_of_scope']}, wrong IP {counts['wrong_ip']}, missing consent "
            f"{counts['no_consent']}, injection {counts['injection']}, consented "
            f"{counts['consented']}",
        ))  # fmt: skip
        rows = (
            ("调用次数", "calls", f"{calls:,}", f"{PAPER['calls']:,}"),
            ("返回记录", "records", f"{records:,}", f"{PAPER['records']:,}"),
            ("安全管控率", "share under control", f"{share:.2f}%", f"{PAPER['controlled']}%"),
            ("拦截次数", "intercepted calls", f"{intercepts:,}", f"{PAPER['intercepts']:,}"),
        )
        ctx.say(
            ctx.t(
                "   指标            本次演示      论文第5节",
                "   figure               this run     paper s.5",
            )
        )
        for zh, en, ours, paper in rows:
            ctx.say(f"   {ctx.t(zh, en):<18} {ours:>12} {paper:>12}")
        ctx.report("网关调用/拦截", "gateway calls / intercepts", f"{calls} / {intercepts}")
        ctx.artifacts["gateway"] = {"calls": calls, "records": records, "controlled": share,
                                    "intercepts": intercepts, "counts": dict(counts)}  # fmt: skip


def _patients(service: Any) -> list[tuple[str, str]]:
    engine = create_engine(service.sources.urls["h1"])
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT DISTINCT p.id_no, p.mobile FROM patient p JOIN visit v"
            " ON v.patient_id = p.patient_id ORDER BY p.id_no LIMIT 200")).all()  # fmt: skip
    engine.dispose()
    return [(str(a), str(b)) for a, b in rows]


def _code(sms: RecordingSms, mobile: str) -> str | None:
    sent = sms.last_to(mobile)
    found = re.search(r"验证码(\d{6})", sent.message) if sent else None
    return found.group(1) if found else None


def _start(app: Any) -> tuple[uvicorn.Server, threading.Thread, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error",
                            access_log=False, proxy_headers=False)  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    return server, thread, f"http://127.0.0.1:{port}"
