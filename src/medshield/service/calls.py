"""One call of a data API, end to end (R5, R21-R25): address, lockout, token, signature,
allow-list, rate limit, parameters, field scope, consent, release, and the call's event.

Every outcome, allowed or refused, is one ``gateway.call`` event queued to the ledger; a release
to another institution also records its ``lineage.share`` step; lockouts and blocked responses
raise ``gateway.alert`` events.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from medshield.errors import (
    AuthenticationError,
    ConsentRequiredError,
    MedshieldError,
    NotFoundError,
    RateLimitedError,
    ResponseBlockedError,
)
from medshield.ledger.events import DataObject, Event, Outcome
from medshield.lineage.steps import lineage_event
from medshield.mask.operators.keyed import ring_key
from medshield.mask.operators.pseudonym import make_pseudonym
from medshield.policy.schema import ApiDef
from medshield.service.caller import check_address, check_signature, client_address
from medshield.service.context import ServiceContext
from medshield.service.params import asked_fields, bind_params, request_hash
from medshield.service.release import Release, patient_param, release_records
from medshield.service.scope import FieldScope, Grant, field_scope
from medshield.service.tokens import TokenInfo


@dataclass(frozen=True)
class CallRequest:
    """What the shell read from HTTP."""

    api_id: str
    peer: str
    method: str = "GET"
    target: str = "/"  # path with query string, as signed
    path_params: Mapping[str, str] = field(default_factory=dict)
    query: Mapping[str, str] = field(default_factory=dict)
    authorization: str | None = None
    forwarded_for: str | None = None
    consent: str | None = None  # "<consent id>:<code>"
    timestamp: str | None = None
    signature: str | None = None
    body: bytes = b""


@dataclass
class _Trace:
    started: float = field(default_factory=time.perf_counter)
    address: str | None = None
    token: TokenInfo | None = None
    api: ApiDef | None = None
    scope: FieldScope | None = None
    release: Release | None = None


def bearer(authorization: str | None) -> str:
    if not authorization or not authorization.startswith("Bearer "):
        raise AuthenticationError("a bearer token is required", where="Authorization")
    return authorization.removeprefix("Bearer ").strip()


CACHE_SIZE = 10_000  # entries of each cache of a DataCalls (field scopes, call templates)


class DataCalls:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        # (token id, its expiry, API, fields asked) -> the field scope: a token's permissions
        # never change (rotation issues a new id; revocation fails verification).
        self._scopes: dict[tuple[str, datetime, str, str | None], FieldScope] = {}
        self._call_events: dict[tuple[Any, ...], Event] = {}

    def scope(self, token: TokenInfo, api: ApiDef, fields: str | None) -> FieldScope:
        """The fields of ``api`` released to the token of those asked (cached); a refusal
        (``ScopeError``) is decided afresh each time."""
        key = (token.token_id, token.expires_at, api.id, fields)
        found = self._scopes.get(key)
        if found is None:
            asked = asked_fields({"fields": fields} if fields else {})
            found = field_scope(self.ctx.bundle, api, grant_of(token, api), asked)
            if len(self._scopes) >= CACHE_SIZE:
                self._scopes.clear()
            self._scopes[key] = found
        return found

    def api(self, api_id: str) -> ApiDef:
        found = self.ctx.apis.get(api_id)
        if found is None:
            raise NotFoundError("no such API", where="path")
        return found

    def authenticate(self, req: CallRequest, trace: _Trace) -> TokenInfo:
        """Lockout, token, signature and allow-list: the caller, or a refusal."""
        ctx = self.ctx
        trace.address = address = client_address(req.peer, req.forwarded_for, ctx.trusted)
        ctx.lockout.check(address)
        token_text = ""
        try:
            token_text = bearer(req.authorization)
            token = ctx.tokens.verify(token_text)
        except AuthenticationError:
            if ctx.lockout.failed(address):
                ctx.alert("lockout", address, "repeated authentication failures")
            raise
        trace.token = token
        if token.signed:
            secret = token_text.split("_", 2)[2]
            check_signature(secret, req.method, req.target, req.timestamp, req.signature, req.body)
        check_address(ctx.bundle, token.institution, address)
        return token

    def call(self, req: CallRequest) -> dict[str, Any]:
        """The response body of one data call; a ``MedshieldError`` for any refusal."""
        trace = _Trace()
        try:
            body = self._call(req, trace)
        except MedshieldError as exc:
            self._record(trace, exc)
            raise
        self._record(trace, None)
        return body

    def _call(self, req: CallRequest, trace: _Trace) -> dict[str, Any]:
        ctx = self.ctx
        trace.api = api = self.api(req.api_id)
        token = self.authenticate(req, trace)
        ctx.rate_limits.hit(api, token.token_id)
        params = bind_params(api, req.path_params, req.query)
        scope = self.scope(token, api, req.query.get("fields"))
        trace.scope = scope
        if api.requires_consent and token.institution != api.source:
            self._consented(req, api, token, params)
        rows = ctx.fetch_rows(
            api, params, user=f"token:{token.token_id}", role=token.role, scenario=token.scenario
        )
        trace.release = release = release_records(
            ctx.bundle, rows, api, scope, params, ctx.mask_context
        )
        patient = self._patient(api, params)
        if token.institution != api.source and release.rows:
            self._lineage(api, token, patient, release)
        self._anomalies(api, token, patient, trace.address)
        return page(api, params, release, scope)

    def _patient(self, api: ApiDef, params: Mapping[str, Any]) -> str | None:
        """The keyed pseudonym of the call's patient (None: an API about no one patient)."""
        name = patient_param(api)
        if name is None:
            return None
        key_id, secret = ring_key(self.ctx.mask_context, None, "lineage")
        return _pseudonym(str(params[name]), key_id, secret)

    def _anomalies(
        self, api: ApiDef, token: TokenInfo, patient: str | None, address: str | None
    ) -> None:
        """One ``gateway.alert`` per anomaly of this allowed call (``service/anomaly.py``)."""
        for found in self.ctx.anomalies.observe(token.token_id, address, patient):
            self.ctx.alert(found.kind, address, found.why, token=token, api=api)

    def _consented(
        self, req: CallRequest, api: ApiDef, token: TokenInfo, params: Mapping[str, Any]
    ) -> None:
        if not req.consent or ":" not in req.consent:
            raise ConsentRequiredError(
                "these records need the patient's SMS authorisation", where="X-MS-Consent"
            )
        consent_id, _, code = req.consent.partition(":")
        binding = consent_binding(api, token, params)
        try:
            self.ctx.consents.redeem(consent_id, code, binding)
        except MedshieldError as exc:
            self.ctx.event("consent.refuse", token, api, "deny", (exc.message,))
            raise
        self.ctx.event("consent.grant", token, api, "allow", ("patient authorised by SMS",))

    def request_consent(self, req: CallRequest) -> dict[str, Any]:
        """Send the patient an SMS code for this data call; the id to present with the code.

        The answer is the same whether the patient is known or not."""
        trace = _Trace()
        try:
            trace.api = api = self.api(req.api_id)
            token = self.authenticate(req, trace)
            params = bind_params(api, req.path_params, req.query)
            grant = grant_of(token, api)
            field_scope(self.ctx.bundle, api, grant, None)
            phone = self.ctx.patient_phone(api, params)
            binding = consent_binding(api, token, params)
            inst = self.ctx.bundle.institution(token.institution)
            message = (
                f"【医联体】{inst.name if inst else token.institution}申请调阅您的"
                f"{api.zh or api.id}，验证码{{code}}，{{minutes}}分钟内有效。如非本人就诊请勿告知他人。"
            )
            inbox = self.ctx.probe_inbox
            name = patient_param(api)
            patient = str(params[name]) if name is not None and name in params else None
            if inbox is not None and inbox.takes(token, patient):
                sent = "code kept in the probe inbox"
                consent_id = self.ctx.consents.send("", message, binding, sms=inbox.sender(token))
            else:
                sent = "SMS code sent"
                consent_id = self.ctx.send_code(
                    self.ctx.consents, phone, message, binding, trace.address, token
                )
        except MedshieldError as exc:
            self._record(trace, exc)
            raise
        self.ctx.event("consent.request", token, api, "info", (sent,))
        return {"consent_id": consent_id, "expires_in": self.ctx.consent_ttl}

    def read_probe_inbox(self, req: CallRequest) -> dict[str, Any]:
        """The newest consent message kept for the calling canary token (taken: read once)."""
        token = self.authenticate(req, _Trace())
        if self.ctx.probe_inbox is None:
            raise NotFoundError("this gateway has no probe inbox", where="path")
        return {"message": self.ctx.probe_inbox.take(token)}

    def _lineage(
        self, api: ApiDef, token: TokenInfo, patient: str | None, release: Release
    ) -> None:
        now = datetime.now(UTC)
        self.ctx.sink.submit(
            lineage_event(
                stage="share",
                actor=f"token:{token.token_id}",
                from_=f"{api.source}/{api.id}",
                to=f"{token.institution}/{token.application}",
                form="aggregated" if api.aggregate else "masked",
                elements=[f.element for f in api.fields if f.element],
                rows=release.rows,
                time_in=now,
                time_out=now,
                pseudonyms=() if patient is None else (patient,),
                institution=token.institution,
            )
        )

    def _record(self, trace: _Trace, error: MedshieldError | None) -> None:
        ctx = self.ctx
        seconds = time.perf_counter() - trace.started
        status = error.http_status if error else 200
        code = error.code if error else "ok"
        release, scope, token, api = trace.release, trace.scope, trace.token, trace.api
        intercepted = scope.intercepted if scope else ()
        rows = release.rows if release and not error else 0
        ctx.metrics.observe(api.id if api else None, status, code, rows, len(intercepted), seconds)
        if isinstance(error, ResponseBlockedError):
            ctx.alert("response_blocked", trace.address, error.message, token=token, api=api)
        if isinstance(error, RateLimitedError) and token is not None and api is not None:
            # One alert per token and API a minute, however many calls are refused.
            if ctx.state.incr(f"freq-alert:{token.token_id}:{api.id}", 60.0) == 1:
                ctx.alert("high_frequency", trace.address, error.message, token=token, api=api)
        # The detail varies from call to call, as do the time, address, rows and duration, each
        # made here. The rest is the call's template, validated once.
        detail: dict[str, Any] = {"status": status, "code": code, "intercepted": list(intercepted)}
        if release is not None:
            detail["under_control"] = release.under_control
            detail["suppressed_groups"] = release.suppressed_groups
        template = self._call_template(
            f"token:{token.token_id}" if token else "anonymous",
            token.institution if token else None,
            api.id if api else None,
            scope.released if scope else (),
            "deny" if error else ("alert" if intercepted else "allow"),
            (error.message,) if error else tuple(scope.reasons if scope else ()),
        )
        ctx.sink.submit(template.revised(
            at=datetime.now(UTC), source_ip=trace.address, rows=rows,
            duration_ms=round(seconds * 1000, 3), detail=detail,
        ))  # fmt: skip

    def _call_template(
        self, actor: str, institution: str | None, api: str | None, columns: tuple[str, ...],
        outcome: Outcome, reasons: tuple[str, ...],
    ) -> Event:  # fmt: skip
        """The ``gateway.call`` event these fields make, to be copied for each call (kept for
        calls that were not refused: a refusal's reason may carry what the caller sent)."""
        key = (actor, institution, api, columns, outcome, reasons)
        found = self._call_events.get(key)
        if found is None:
            found = Event(
                action="gateway.call", actor=actor, institution=institution,
                object=DataObject(api=api, columns=columns), outcome=outcome, reasons=reasons,
                policy_version=self.ctx.bundle.version,
            )  # fmt: skip
            if outcome != "deny":
                if len(self._call_events) >= CACHE_SIZE:
                    self._call_events.clear()
                self._call_events[key] = found
        return found


@lru_cache(maxsize=4096)
def _pseudonym(patient: str, key_id: str, secret: bytes) -> str:
    """The keyed pseudonym of a patient in lineage records (the same as the masking one)."""
    return make_pseudonym(patient, key_id, secret, length=20, prefix="P")


def grant_of(token: TokenInfo, api: ApiDef) -> Grant:
    fields = token.fields_for(api.id)
    if fields is None:
        from medshield.errors import ScopeError

        raise ScopeError("this API is not granted to the token", where=api.id)
    return Grant(token.role, token.scenario, token.max_level, fields, token.scopes)


def consent_binding(api: ApiDef, token: TokenInfo, params: Mapping[str, Any]) -> dict[str, str]:
    from medshield.service.codes import digest

    name = patient_param(api)
    return {
        "institution": token.institution,
        "purpose": token.scenario or "",
        "data_class": api.data_class,
        "request": request_hash(api, params),
        "patient": digest(f"patient:{params[name]}") if name else "",
    }


def page(
    api: ApiDef, params: Mapping[str, Any], release: Release, scope: FieldScope
) -> dict[str, Any]:
    """The body: the records and where the next page starts. No total is ever given, so a
    count cannot reveal records the caller may not see."""
    limit, offset = params.get("limit"), params.get("offset")
    more = isinstance(limit, int) and release.rows == limit
    return {
        "api": api.id,
        "count": release.rows,
        "items": release.records,
        "intercepted": list(scope.intercepted),
        "next_offset": (int(offset or 0) + int(limit or 0)) if more else None,
    }
