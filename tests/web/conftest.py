from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from tests.web.seed import build_world, password

from medshield.web.app import build_console
from medshield.web.views import ConsoleContext

SECRET = "test-secret-key-0123456789"


@pytest.fixture
def world(tmp_path: Path) -> Iterator[ConsoleContext]:
    ctx = build_world(tmp_path)
    yield ctx
    ctx.ledger.close(checkpoint=False)
    ctx.store.dispose()


@pytest.fixture
def console(world: ConsoleContext) -> TestClient:
    return TestClient(build_console(world, secret=SECRET), follow_redirects=False)


def csrf_of(client: TestClient, path: str = "/login") -> str:
    import re

    page = client.get(path).text
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def sign_in(client: TestClient, member: str) -> None:
    token = csrf_of(client)
    response = client.post(
        "/login", data={"csrf": token, "member": member, "password": password(member)}
    )
    assert response.status_code == 303, response.text
