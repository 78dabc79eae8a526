"""The console from settings: alone, mounted by the gateway, and on the demo's data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from tests.web.seed import add_catalogue

from medshield.cli.serve import demo_settings
from medshield.demo import DemoContext, run_demo
from medshield.demo.steps.console import DEMO_PASSWORD, ConsoleStep, closing_lines
from medshield.ledger import open_ledger
from medshield.policy import load_bundle
from medshield.store.db import connect, upgrade
from medshield.synth import build_alliance
from medshield.web.server import console_from_settings


def _demo_folder(folder: Path, monkeypatch: pytest.MonkeyPatch) -> DemoContext:
    said: list[str] = []
    ctx = DemoContext(workdir=folder, bundle=load_bundle(), patients=100, seed=7,
                      say=said.append)  # fmt: skip
    run_demo(ctx, [ConsoleStep])
    catalog = f"sqlite:///{folder / 'catalog.db'}"
    upgrade(catalog)
    add_catalogue(connect(catalog), tables=2, columns_per_table=5)
    for key, value in demo_settings(folder).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("MEDSHIELD_CONSOLE_SECRET", "s" * 32)
    return ctx


def _sign_in(client: TestClient, prefix: str, member: str, password: str) -> None:
    token = re.search(r'name="csrf" value="([^"]+)"', client.get(f"{prefix}/login").text)
    assert token
    r = client.post(f"{prefix}/login",
                    data={"csrf": token.group(1), "member": member, "password": password})  # fmt: skip
    assert r.status_code == 303, r.text


def test_the_console_on_the_demo_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ctx = _demo_folder(tmp_path, monkeypatch)
    lines = "\n".join(closing_lines(ctx))
    assert f"medshield serve --demo {tmp_path}" in lines and "/console/" in lines
    assert DEMO_PASSWORD in lines
    client = TestClient(console_from_settings(), follow_redirects=False)
    _sign_in(client, "", "office-01", DEMO_PASSWORD)
    assert 'id="total">10<' in client.get("/catalog").text
    with open_ledger(f"sqlite:///{tmp_path / 'ledger.db'}") as ledger:
        seq = ledger.head()[0]
    assert f'id="ledger-seq">{seq}<' in client.get("/ledger").text and seq > 0


def test_the_gateway_mounts_the_console(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from medshield.gateway.server import app_from_settings

    _demo_folder(tmp_path, monkeypatch)
    build_alliance(tmp_path / "alliance", bundle=load_bundle(), patients=100, seed=3)
    with TestClient(app_from_settings(), follow_redirects=False) as client:
        assert client.get("/console/").headers["location"] == "/console/login"
        assert client.get("/console/static/htmx.min.js").status_code == 200
        _sign_in(client, "/console", "secadmin-01", DEMO_PASSWORD)
        page = client.get("/console/review")
        assert page.status_code == 200 and 'href="/console/catalog"' in page.text
