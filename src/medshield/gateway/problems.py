"""Refusals as JSON problem documents (RFC 9457) with the stable error code, never a trace."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import JSONResponse

from medshield.errors import MedshieldError

log = logging.getLogger(__name__)
PROBLEM = "application/problem+json"


def problem(exc: MedshieldError) -> JSONResponse:
    body = {
        "type": f"https://medshield.dev/errors/{exc.code}",
        "title": type(exc).__name__,
        "status": exc.http_status,
        "code": exc.code,
        "detail": exc.message,
    }
    return JSONResponse(body, status_code=exc.http_status, media_type=PROBLEM)


async def on_medshield_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, MedshieldError)
    return problem(exc)


async def on_unexpected(_request: Request, exc: Exception) -> JSONResponse:
    log.error("internal error: %s", type(exc).__name__)
    body = {"type": "about:blank", "title": "internal error", "status": 500, "code": "MS000"}
    return JSONResponse(body, status_code=500, media_type=PROBLEM)
