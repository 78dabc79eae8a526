"""The patient unified view (R34): a patient signs in with an SMS code and reads their own
visits and reports, masking in force. The patient of every call is the session's, never a
value of the request, so nobody else's records are reachable."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from medshield.elements.levels import Level
from medshield.errors import AuthenticationError, InputError, NotFoundError
from medshield.service.calls import page
from medshield.service.codes import digest
from medshield.service.context import ServiceContext
from medshield.service.params import bind_params
from medshield.service.release import patient_param, release_records
from medshield.service.scope import Grant, field_scope

SESSION_SECONDS = 900.0
ID_PATTERN = r"^\d{17}[\dXx]$"


class PatientView:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        role = ctx.bundle.role("patient")
        self.grant = Grant(
            "patient", "patient_self_service", role.max_level if role else Level.NORMAL,
            ("*",), frozenset(s for a in ctx.apis.values() for s in a.scopes),
        )  # fmt: skip
        self.apis = {a.id: a for a in ctx.apis.values() if a.patient_view}

    def start(self, id_no: str, address: str) -> dict[str, Any]:
        """Send a sign-in code to the patient's phone; the same answer for unknown patients."""
        import re

        self.ctx.lockout.check(address)
        if not re.fullmatch(ID_PATTERN, id_no or ""):
            raise InputError("id_no must be an ID number", where="id_no")
        contact = next(iter(self.apis.values()), None)
        phone = (
            self.ctx.patient_phone(contact, {patient_param(contact) or "id_no": id_no})
            if contact
            else None
        )
        binding = {"patient": id_no}
        message = "【医联体】您正在登录患者统一视图，验证码{code}，{minutes}分钟内有效。"
        login_id = self.ctx.send_code(self.ctx.logins, phone, message, binding, address)
        return {"login_id": login_id, "expires_in": self.ctx.consent_ttl}

    def verify(self, login_id: str, code: str, id_no: str, address: str) -> dict[str, Any]:
        self.ctx.lockout.check(address)
        try:
            self.ctx.logins.redeem(login_id, code, {"patient": id_no})
        except Exception:
            if self.ctx.lockout.failed(address):
                self.ctx.alert("lockout", address, "repeated failed patient sign-ins")
            raise
        session = "mps_" + secrets.token_urlsafe(32)
        self.ctx.state.put(f"psession:{digest(session)}", id_no, SESSION_SECONDS)
        self.ctx.event("patient.signin", None, None, "allow", ("SMS code verified",))
        return {"session": session, "expires_in": SESSION_SECONDS}

    def records(self, session: str | None, api_id: str, query: Mapping[str, str]) -> dict[str, Any]:
        if not session:
            raise AuthenticationError("a patient session is required", where="Authorization")
        id_no = self.ctx.state.get(f"psession:{digest(session)}")
        if id_no is None:
            raise AuthenticationError("the session is unknown or expired", where="Authorization")
        api = self.apis.get(api_id)
        if api is None:
            raise NotFoundError("no such record list", where="path")
        name = patient_param(api) or "id_no"
        params = bind_params(api, {name: id_no}, {k: v for k, v in query.items() if k != name})
        scope = field_scope(self.ctx.bundle, api, self.grant, None)
        rows = self.ctx.fetch_rows(
            api, params, user="patient", role=self.grant.role, scenario=self.grant.scenario
        )
        release = release_records(self.ctx.bundle, rows, api, scope, params, self.ctx.mask_context)
        self.ctx.event("patient.view", None, api, "allow", ("own records",), rows=release.rows)
        return page(api, params, release, scope)
