"""The ASGI app: routes of the catalogue, consent, the patient view, the admin API, OpenAPI.

Each handler reads HTTP into a call of the data service and writes its result back.
"""

from __future__ import annotations

import gc
import hmac
import json
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import orjson
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.types import ASGIApp

from medshield.errors import (
    ApprovalError,
    AuthenticationError,
    InputError,
    MedshieldError,
    NotFoundError,
)
from medshield.gateway.alerts import alert_routes
from medshield.gateway.problems import on_medshield_error, on_unexpected
from medshield.ledger import Ledger
from medshield.service.caller import client_address
from medshield.service.calls import CallRequest, DataCalls, bearer
from medshield.service.context import ServiceContext
from medshield.service.openapi import openapi_document
from medshield.service.patients import PatientView
from medshield.service.tokens import TokenInfo


def _jsonable(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    raise TypeError(f"{type(value).__name__} is not JSON")


_ORJSON = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS  # dates through _jsonable


class DataResponse(JSONResponse):
    """JSON of records as sources give them: dates, times and decimals included."""

    def render(self, content: Any) -> bytes:
        try:
            return orjson.dumps(content, default=_jsonable, option=_ORJSON)
        except orjson.JSONEncodeError:  # an integer beyond 64 bits, say: the standard library
            return json.dumps(
                content, ensure_ascii=False, separators=(",", ":"), default=_jsonable
            ).encode("utf-8")


# The request headers a data call reads (ASGI gives header names in lower case).
_CALL_HEADERS = frozenset(
    (b"authorization", b"x-forwarded-for", b"x-ms-consent", b"x-ms-timestamp", b"x-ms-signature")
)


def _call_request(request: Request, api_id: str, body: bytes = b"") -> CallRequest:
    # Read from the ASGI scope: building ``request.url`` took a third of this function's time,
    # and looking each header up in ``request.headers`` as long again.
    scope = request.scope
    h: dict[bytes, str] = {}
    for name, value in scope["headers"]:
        if name in _CALL_HEADERS and name not in h:  # the first of a repeated header counts
            h[name] = value.decode("latin-1")
    path = scope["path"].replace("?", "%3F").replace("#", "%23").replace("\\", "%5C")
    query = scope.get("query_string", b"").decode("latin-1")
    client = scope.get("client")
    return CallRequest(
        api_id=api_id,
        peer=client[0] if client else "",
        method=scope["method"],
        target=f"{path}?{query}" if query else path,
        path_params=request.path_params,
        query=request.query_params,
        authorization=h.get(b"authorization"),
        forwarded_for=h.get(b"x-forwarded-for"),
        consent=h.get(b"x-ms-consent"),
        timestamp=h.get(b"x-ms-timestamp"),
        signature=h.get(b"x-ms-signature"),
        body=body,
    )


def _token_detail(info: TokenInfo) -> dict[str, Any]:
    """What the ledger keeps of a token for the closed loop's stale-token check."""
    return {"token_id": info.token_id, "apis": sorted(info.apis),
            "expires_at": info.expires_at.isoformat()}  # fmt: skip


def _token_json(info: TokenInfo) -> dict[str, Any]:
    return {
        "token_id": info.token_id, "institution": info.institution,
        "application": info.application, "role": info.role, "scenario": info.scenario,
        "max_level": info.max_level.en, "apis": {k: list(v) for k, v in info.apis.items()},
        "scopes": sorted(info.scopes), "signed": info.signed,
        "expires_at": info.expires_at.isoformat(), "revoked": info.revoked,
    }  # fmt: skip


async def _json_body(request: Request) -> dict[str, Any]:
    try:
        data = json.loads(await request.body() or b"{}")
    except ValueError:
        raise InputError("the body is not JSON", where="body") from None
    if not isinstance(data, dict):
        raise InputError("the body must be a JSON object", where="body")
    return data


def build_app(
    ctx: ServiceContext,
    *,
    console: ASGIApp | None = None,
    staff: Mapping[str, str] | None = None,
    ledger: Ledger | None = None,
) -> Starlette:
    """The gateway's app; ``console``, when given, is mounted under ``/console``. ``staff``
    ({member id: password hash}, the console's) sign in to the alerts of the admin API, read
    from ``ledger`` (default: the ledger the gateway records to); none: nobody can."""
    calls = DataCalls(ctx)
    patients = PatientView(ctx)
    document = openapi_document(ctx.bundle)

    def data_endpoint(api_id: str) -> Any:
        async def endpoint(request: Request) -> Response:
            return DataResponse(calls.call(_call_request(request, api_id)))

        return endpoint

    def consent_endpoint(api_id: str) -> Any:
        async def endpoint(request: Request) -> Response:
            body = await request.body()
            return JSONResponse(calls.request_consent(_call_request(request, api_id, body)))

        return endpoint

    def admin_refused(request: Request) -> None:
        address = client_address(
            request.client.host if request.client else "",
            request.headers.get("x-forwarded-for"),
            ctx.trusted,
        )
        ctx.lockout.check(address)
        if ctx.lockout.failed(address):
            ctx.alert("lockout", address, "repeated failed admin authentications")

    def admin(request: Request) -> None:
        key = ctx.admin_key
        given = request.headers.get("authorization", "")
        if not key or not hmac.compare_digest(given.encode(), f"Bearer {key}".encode()):
            admin_refused(request)
            raise AuthenticationError("admin credentials required", where="Authorization")

    async def issue(request: Request) -> Response:
        admin(request)
        data = await _json_body(request)
        if data.get("approval") is None:
            raise ApprovalError("a token is issued only under an approved data access "
                                "application: give its request id as approval", where="approval")  # fmt: skip
        try:
            approval = ctx.application(int(data["approval"]))
            issued = ctx.tokens.issue(
                institution=str(data["institution"]),
                application=str(data["application"]),
                role=str(data["role"]),
                scenario=data.get("scenario"),
                max_level=str(data["max_level"]),
                apis={str(k): [str(f) for f in v] for k, v in dict(data["apis"]).items()},
                scopes=[str(s) for s in data.get("scopes", [])],
                ttl_seconds=int(data.get("ttl_seconds", 86400)),
                signed=bool(data.get("signed", False)),
                approval=approval,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"malformed token request: {exc}", where="body") from None
        ctx.event("gateway.token.issue", issued.info, None, "info", ("issued",),
                  approval=approval.id, **_token_detail(issued.info))  # fmt: skip
        return JSONResponse({**_token_json(issued.info), "token": issued.token})

    async def rotate(request: Request) -> Response:
        admin(request)
        replaced = request.path_params["token_id"]
        issued = ctx.tokens.rotate(replaced)
        ctx.event("gateway.token.rotate", issued.info, None, "info", ("rotated",),
                  replaces=replaced, **_token_detail(issued.info))  # fmt: skip
        return JSONResponse({**_token_json(issued.info), "token": issued.token})

    async def revoke(request: Request) -> Response:
        admin(request)
        token_id = request.path_params["token_id"]
        ctx.tokens.revoke(token_id)
        ctx.event("gateway.token.revoke", None, None, "info", (f"revoked {token_id}",),
                  token_id=token_id)  # fmt: skip
        return JSONResponse({"token_id": token_id, "revoked": True})

    async def list_tokens(request: Request) -> Response:
        admin(request)
        return JSONResponse([_token_json(t) for t in ctx.tokens.list()])

    async def metrics(request: Request) -> Response:
        admin(request)
        return Response(generate_latest(ctx.metrics.registry), media_type=CONTENT_TYPE_LATEST)

    async def probe_inbox(request: Request) -> Response:
        return JSONResponse(calls.read_probe_inbox(_call_request(request, "")))

    async def openapi(_request: Request) -> Response:
        return JSONResponse(document)

    def _address(request: Request) -> str:
        peer = request.client.host if request.client else ""
        return client_address(peer, request.headers.get("x-forwarded-for"), ctx.trusted)

    async def patient_login(request: Request) -> Response:
        data = await _json_body(request)
        return JSONResponse(patients.start(str(data.get("id_no", "")), _address(request)))

    async def patient_session(request: Request) -> Response:
        data = await _json_body(request)
        return JSONResponse(
            patients.verify(
                str(data.get("login_id", "")),
                str(data.get("code", "")),
                str(data.get("id_no", "")),
                _address(request),
            )  # fmt: skip
        )

    async def patient_records(request: Request) -> Response:
        try:
            session = bearer(request.headers.get("authorization"))
        except AuthenticationError:
            session = None
        api_id = request.path_params["api_id"]
        return DataResponse(patients.records(session, api_id, request.query_params))

    async def not_found(_request: Request, _exc: Exception) -> Response:
        from medshield.gateway.problems import problem

        return problem(NotFoundError("no such resource", where="path"))

    routes: list[BaseRoute] = [
        Route(a.path, data_endpoint(a.id), methods=[a.method]) for a in ctx.apis.values()
    ]
    routes += [
        Route(a.path + "/consent", consent_endpoint(a.id), methods=["POST"])
        for a in ctx.apis.values()
        if a.requires_consent
    ]
    routes += [
        Route("/admin/tokens", issue, methods=["POST"]),
        Route("/admin/tokens", list_tokens, methods=["GET"]),
        Route("/admin/tokens/{token_id}/rotate", rotate, methods=["POST"]),
        Route("/admin/tokens/{token_id}", revoke, methods=["DELETE"]),
        Route("/admin/metrics", metrics, methods=["GET"]),
        *alert_routes(
            ledger or (ctx.sink.ledger if isinstance(ctx.sink.ledger, Ledger) else None),
            ctx.bundle,
            staff or {},
            admin_refused,
        ),
        Route("/openapi.json", openapi, methods=["GET"]),
        Route("/probe/inbox", probe_inbox, methods=["GET"]),
        Route("/patient/login", patient_login, methods=["POST"]),
        Route("/patient/session", patient_session, methods=["POST"]),
        Route("/patient/records/{api_id}", patient_records, methods=["GET"]),
    ]
    routes += [Mount("/console", app=console)] if console is not None else []

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        # What is built by now (policy, catalogue, detectors, key ring) lives as long as the
        # server: kept out of the collector's full passes, which otherwise walk those hundreds
        # of thousands of objects again and again while serving (80 us a call, measured).
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            gc.unfreeze()
            ctx.close()

    return Starlette(
        routes=routes,
        exception_handlers={
            MedshieldError: on_medshield_error,
            HTTPException: not_found,
            Exception: on_unexpected,
        },
        lifespan=lifespan,
    )
