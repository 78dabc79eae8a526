"""The admin API's alerts: the open ones, and acknowledging one, by a signed-in staff member.

A caller signs in with HTTP Basic: a member id of the policy's organisation and that member's
console password. Each request is then decided and recorded by ``governance.authorize``
(``notify.ack.list_open_as``, ``acknowledge_as``); an acknowledgement is the same ``notify.ack``
event as ``medshield alert ack``.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Mapping

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from medshield.errors import AuthenticationError, ConfigError, InputError
from medshield.ledger import Ledger
from medshield.notify.ack import acknowledge_as, list_open_as
from medshield.policy import PolicyBundle
from medshield.web.auth import hash_password, verify_password

NOTE_MAX = 500
# compared against when the member is unknown, so a wrong name costs as much as a wrong password
_NOBODY = hash_password("-")


def _basic(header: str | None) -> tuple[str, str] | None:
    scheme, _, value = (header or "").partition(" ")
    if scheme.lower() != "basic" or not value:
        return None
    try:
        member, sep, password = base64.b64decode(value, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return (member, password) if sep and member else None


def staff_member(
    request: Request, staff: Mapping[str, str], refused: Callable[[Request], None]
) -> str:
    """The member id of valid Basic credentials; else ``refused(request)`` (counts the failure) and
    AuthenticationError."""
    given = _basic(request.headers.get("authorization"))
    if given is not None:
        member, password = given
        stored = staff.get(member)
        if verify_password(password, stored or _NOBODY) and stored is not None:
            return member
    refused(request)
    raise AuthenticationError("staff credentials required (HTTP Basic)", where="Authorization")


async def _note(request: Request) -> str:
    raw = await request.body()
    if not raw.strip():
        return ""
    try:
        data = json.loads(raw)
    except ValueError:
        raise InputError("the body is not JSON", where="body") from None
    note = data.get("note", "") if isinstance(data, dict) else None
    if not isinstance(note, str) or len(note) > NOTE_MAX:
        raise InputError(f"note must be a text of at most {NOTE_MAX} characters", where="note")
    return note


def alert_routes(
    ledger: Ledger | None,
    bundle: PolicyBundle,
    staff: Mapping[str, str],
    refused: Callable[[Request], None],
) -> list[BaseRoute]:
    """``GET /admin/alerts`` and ``POST /admin/alerts/{seq}/ack``."""

    def _ledger() -> Ledger:
        if ledger is None:  # a gateway whose events go elsewhere cannot read alerts
            raise ConfigError("no ledger behind this gateway to read alerts from", where="ledger")
        return ledger

    async def list_open(request: Request) -> Response:
        member = staff_member(request, staff, refused)
        return JSONResponse(list_open_as(_ledger(), bundle, member))

    async def ack(request: Request) -> Response:
        member = staff_member(request, staff, refused)
        seq = int(request.path_params["seq"])
        note = await _note(request)
        receipt = acknowledge_as(_ledger(), bundle, member, seq, note)
        return JSONResponse({"alert": seq, "ack_seq": receipt.seq, "actor": member})

    return [
        Route("/admin/alerts", list_open, methods=["GET"]),
        Route("/admin/alerts/{seq:int}/ack", ack, methods=["POST"]),
    ]
