"""A real gateway under uvicorn on loopback, over a small synthetic alliance."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from sqlalchemy import create_engine, text

from medshield.demo.applications import file_approved_application
from medshield.gateway.app import build_app
from medshield.ledger import Event, Ledger
from medshield.ledger.open import open_ledger
from medshield.policy import load_bundle
from medshield.service.context import ServiceContext, open_service
from medshield.service.sms import RecordingSms
from medshield.service.sources import SourceDirectory
from medshield.store.db import connect, upgrade
from medshield.synth import build_alliance

ADMIN_KEY = "admin-key-for-tests-0123456789"
CODE_SECRET = "code-secret-for-tests-0123456789"
# Every scope of the default API catalogue: the tests' one data access application covers them.
SCOPES = ("patient.read", "clinical.read", "prescription.read", "operation.read", "stats.read")


@dataclass
class Gateway:
    url: str
    ctx: ServiceContext
    sms: RecordingSms
    alliance: Path
    ledger: Ledger
    application: int  # the approved data access application tokens are issued under

    def events(self, prefix: str) -> list[Event]:
        self.ctx.sink.flush()
        return [r.event for r in self.ledger.records(action_prefix=prefix)]

    def client(self, **kw: object) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=10, **kw)  # type: ignore[arg-type]

    def admin(self) -> httpx.Client:
        return self.client(headers={"Authorization": f"Bearer {ADMIN_KEY}"})

    def issue(self, **grant: object) -> dict[str, object]:
        body = {"institution": "m1", "application": "his", "role": "doctor",
                "scenario": "collaborative_care", "max_level": "important",
                "apis": {"patient.summary": ["*"], "patient.visits": ["*"],
                         "patient.prescriptions": ["*"], "patient.lab_results": ["*"]},
                "scopes": ["patient.read", "clinical.read", "prescription.read"],
                "approval": self.application, **grant}  # fmt: skip
        with self.admin() as c:
            r = c.post("/admin/tokens", json=body)
        assert r.status_code == 200, r.text
        return dict(r.json())

    def patient(self, n: int = 0) -> tuple[str, str]:
        """(id_no, mobile) of the n-th patient of h1 who has visits."""
        engine = create_engine(self.ctx.sources.urls["h1"])
        with engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT DISTINCT p.id_no, p.mobile FROM patient p JOIN visit v "
                "ON v.patient_id = p.patient_id JOIN prescription x ON x.patient_id = p.patient_id "
                "ORDER BY p.id_no"
            )).all()  # fmt: skip
        engine.dispose()
        return str(rows[n][0]), str(rows[n][1])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(app: object, port: int) -> tuple[uvicorn.Server, threading.Thread]:
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error",  # type: ignore[arg-type]
                            lifespan="on", access_log=False, proxy_headers=False)  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started
    return server, thread


@pytest.fixture(scope="module")
def alliance(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("alliance")
    build_alliance(out, bundle=load_bundle(), patients=300, seed=11)
    return out


def start_gateway(
    alliance: Path, home: Path, *, trusted: str = "", state_url: str | None = None,
    lockout_failures: int = 5, policy: Path | None = None,
) -> Iterator[Gateway]:  # fmt: skip
    bundle = load_bundle(policy)
    store = f"sqlite:///{home / 'store.db'}"
    upgrade(store)
    sms = RecordingSms()
    ledger = open_ledger(store, bundle=bundle)
    ctx = open_service(
        bundle, SourceDirectory.from_alliance(alliance), connect(store), ledger, sms, trusted_proxies=trusted, admin_key=ADMIN_KEY,
        state_url=state_url, lockout_failures=lockout_failures, code_secret=CODE_SECRET,
    )  # fmt: skip
    port = free_port()
    server, thread = serve(build_app(ctx), port)
    try:
        application = file_approved_application(ledger, bundle, SCOPES)
        yield Gateway(f"http://127.0.0.1:{port}", ctx, sms, alliance, ledger, application)
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture
def gateway(alliance: Path, tmp_path: Path) -> Iterator[Gateway]:
    # 127.0.0.1 is the test proxy; the institutions' addresses arrive in X-Forwarded-For.
    yield from start_gateway(alliance, tmp_path, trusted="127.0.0.1/32")


M1 = {"X-Forwarded-For": "10.11.0.5"}  # inside m1's allow-list


def policy_copy(tmp: Path, edits: dict[str, tuple[str, str]]) -> Path:
    """A copy of the default bundle with text replaced in some files: {file: (old, new)}."""
    import shutil

    from medshield.policy import default_bundle_path

    folder = tmp / "policy"
    shutil.copytree(default_bundle_path(), folder)
    for name, (old, new) in edits.items():
        text_ = (folder / name).read_text(encoding="utf-8")
        assert old in text_
        (folder / name).write_text(text_.replace(old, new), encoding="utf-8")
    return folder
