"""Sign-in: scrypt hashes, staff from the policy, CSRF on every form, fresh sessions."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient
from tests.web.conftest import csrf_of
from tests.web.conftest import sign_in as sign_in_client
from tests.web.seed import NOT_STAFF, STAFF, password

from medshield.errors import SignInError
from medshield.policy import load_bundle
from medshield.web.auth import hash_password, sign_in, staff_of, verify_password


def test_hash_round_trip_and_salt() -> None:
    a, b = hash_password("秘密"), hash_password("秘密")
    assert a != b and a.startswith("scrypt$")
    assert verify_password("秘密", a) and not verify_password("秘", a)
    assert not verify_password("x", "garbage") and not verify_password("x", "md5$1$1$1$00$00")


def test_staff_are_the_policy_layers() -> None:
    bundle = load_bundle()
    for layer, member in STAFF.items():
        staff = staff_of(bundle, member)
        assert staff is not None and layer in staff.layers
    assert staff_of(bundle, NOT_STAFF) is None
    assert staff_of(bundle, "nobody") is None


def test_sign_in_refuses_wrong_password_and_non_staff() -> None:
    bundle = load_bundle()
    pw = {m: hash_password(password(m)) for m in ("office-01", NOT_STAFF)}
    assert sign_in(bundle, pw, "office-01", password("office-01")).id == "office-01"
    for member, given in [("office-01", "wrong"), (NOT_STAFF, password(NOT_STAFF)),
                          ("secadmin-01", password("secadmin-01"))]:  # fmt: skip
        with pytest.raises(SignInError):
            sign_in(bundle, pw, member, given)


def test_login_form_needs_csrf(console: TestClient) -> None:
    member = STAFF["office"]
    bad = console.post("/login", data={"member": member, "password": password(member)})
    assert bad.status_code == 403 and "MS642" in bad.text
    token = csrf_of(console)
    wrong = console.post("/login", data={"csrf": token, "member": member, "password": "no"})
    assert wrong.status_code == 401
    ok = console.post(
        "/login", data={"csrf": token, "member": member, "password": password(member)}
    )
    assert ok.status_code == 303
    assert console.get("/").status_code == 200


def test_session_cookie_flags(world, console: TestClient) -> None:  # noqa: ANN001
    from medshield.web.app import build_console

    secure = TestClient(build_console(world, secret="k" * 32, https_only=True),
                        base_url="https://testserver", follow_redirects=False)  # fmt: skip
    response = secure.get("/login")
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "secure" in cookie and "samesite=strict" in cookie
    assert "content-security-policy" in response.headers


def test_sign_out_ends_the_session(console: TestClient) -> None:
    sign_in_client(console, STAFF["committee"])
    token = csrf_of(console, "/")
    assert console.post("/logout", data={"csrf": token}).status_code == 303
    assert console.get("/").status_code == 303


def test_non_staff_member_cannot_sign_in(console: TestClient) -> None:
    token = csrf_of(console)
    r = console.post("/login", data={"csrf": token, "member": NOT_STAFF,
                                      "password": password(NOT_STAFF)})  # fmt: skip
    assert r.status_code == 401
