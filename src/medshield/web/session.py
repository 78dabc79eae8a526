"""The console's session: who is signed in, the CSRF token of every form, the language."""

from __future__ import annotations

import hmac
import secrets

from starlette.requests import Request

from medshield.errors import CsrfError
from medshield.policy import PolicyBundle
from medshield.web.auth import Staff, staff_of
from medshield.web.i18n import LANGS

LANG_COOKIE = "medshield_lang"


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def check_csrf(request: Request) -> dict[str, str]:
    """The form's fields, once its CSRF token matches the session's (CsrfError otherwise)."""
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    expected = request.session.get("csrf")
    given = fields.get("csrf", "")
    if not isinstance(expected, str) or not hmac.compare_digest(given.encode(), expected.encode()):
        raise CsrfError("the form's CSRF token does not match the session", where=request.url.path)
    return fields


def current_staff(request: Request, bundle: PolicyBundle) -> Staff | None:
    """The signed-in member, as the policy makes them now (roles are never kept in the cookie)."""
    member = request.session.get("member")
    return staff_of(bundle, member) if isinstance(member, str) else None


def language(request: Request) -> str:
    """The member's language: the session's, else the remembered cookie's, else Chinese."""
    lang = request.session.get("lang") or request.cookies.get(LANG_COOKIE)
    return lang if lang in LANGS else "zh"


def sign_in_session(request: Request, staff: Staff) -> None:
    lang = language(request)
    request.session.clear()  # a fresh session at sign-in (no fixation)
    request.session.update({"member": staff.id, "lang": lang, "csrf": secrets.token_urlsafe(32)})
