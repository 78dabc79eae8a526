"""Every route of the console refuses anonymous and wrong-role requests.

The routes are read from the app itself, so a new page is covered without editing this test.
"""

from __future__ import annotations

import json
import re
from base64 import b64encode

import pytest
from itsdangerous import TimestampSigner
from starlette.routing import Mount, Route
from starlette.testclient import TestClient
from tests.web.conftest import SECRET
from tests.web.seed import NOT_STAFF, STAFF

from medshield.web.access import PAGES
from medshield.web.app import SESSION_COOKIE, build_console
from medshield.web.auth import STAFF_LAYERS
from medshield.web.views import ConsoleContext


def _routes(world: ConsoleContext) -> list[tuple[str, str, str]]:
    app = build_console(world, secret=SECRET)
    out = []
    for route in app.routes:
        if isinstance(route, Mount):
            assert route.path in app.state.console_public, f"unguarded mount {route.path}"
            continue
        assert isinstance(route, Route)
        if route.path in app.state.console_public:
            continue
        page = app.state.console_pages[route.path]  # every other route is guarded
        path = re.sub(r"\{[^}]+\}", "x", route.path)
        for method in sorted(route.methods or ()):
            if method != "HEAD":
                out.append((method, path, page))
    return out


def _client(world: ConsoleContext, member: str | None) -> TestClient:
    client = TestClient(build_console(world, secret=SECRET), follow_redirects=False)
    if member is not None:  # a session as the signed cookie would carry it
        data = b64encode(json.dumps({"member": member, "csrf": "c"}).encode())
        client.cookies.set(SESSION_COOKIE, TimestampSigner(SECRET).sign(data).decode())
    return client


def test_the_route_list_is_complete(world: ConsoleContext) -> None:
    pages = {page for _m, _p, page in _routes(world)}
    assert pages == set(PAGES)


def test_anonymous_requests_are_refused(world: ConsoleContext) -> None:
    client = _client(world, None)
    for method, path, _page in _routes(world):
        response = client.request(method, path, data={"csrf": "c"})
        if method == "GET" and response.status_code == 303:
            assert response.headers["location"].endswith("/login"), path
        else:
            assert response.status_code == 401, (method, path, response.status_code)
        assert "patient_0" not in response.text


def test_non_staff_members_are_refused(world: ConsoleContext) -> None:
    client = _client(world, NOT_STAFF)
    for method, path, _page in _routes(world):
        response = client.request(method, path, data={"csrf": "c"})
        assert response.status_code in (401, 303), (method, path, response.status_code)


def test_a_forged_cookie_is_anonymous(world: ConsoleContext) -> None:
    client = TestClient(build_console(world, secret=SECRET), follow_redirects=False)
    data = b64encode(json.dumps({"member": STAFF["office"]}).encode())
    client.cookies.set(SESSION_COOKIE, TimestampSigner("another key").sign(data).decode())
    assert client.get("/").status_code == 303


@pytest.mark.parametrize("layer", STAFF_LAYERS)
def test_each_role_opens_its_pages_only(world: ConsoleContext, layer: str) -> None:
    client = _client(world, STAFF[layer])
    for method, path, page in _routes(world):
        response = client.request(method, path, data={"csrf": "wrong"})
        if layer not in PAGES[page]:
            assert response.status_code == 403, (layer, method, path, response.status_code)
            assert "patient_0" not in response.text
        elif method == "GET":
            assert response.status_code in (200, 404), (layer, path, response.status_code)
        else:  # allowed, but a form with a wrong CSRF token is refused
            assert response.status_code == 403 and "MS642" in response.text, (layer, path)
