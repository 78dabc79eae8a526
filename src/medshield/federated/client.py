"""The hub's HTTPS client: mutual TLS, and the node's certificate must name the node."""

from __future__ import annotations

import http.client
import json
import ssl
from typing import TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel, ValidationError

from medshield.errors import (
    FederatedError,
    MedshieldError,
    NodeUnavailableError,
    ProtocolError,
)
from medshield.federated.tls import common_name

M = TypeVar("M", bound=BaseModel)


def _error_class(code: str) -> type[MedshieldError]:
    pending: list[type[MedshieldError]] = [MedshieldError]
    while pending:
        cls = pending.pop()
        if cls.code == code:
            return cls
        pending.extend(cls.__subclasses__())
    return FederatedError


def post(
    context: ssl.SSLContext,
    node_id: str,
    url: str,
    path: str,
    body: BaseModel,
    answer: type[M],
    timeout: float,
) -> M:
    """POST ``body`` to a node and read its answer; a node's coded error is raised here."""
    parts = urlsplit(url)
    conn = http.client.HTTPSConnection(
        parts.hostname or "127.0.0.1", parts.port, context=context, timeout=timeout
    )
    try:
        conn.connect()
        seen = common_name(conn.sock.getpeercert())  # type: ignore[union-attr,unused-ignore]
        if seen != node_id:
            raise ProtocolError(f"the server at {url} is {seen!r}, not node {node_id!r}")
        data = body.model_dump_json().encode()
        conn.request("POST", path, data, {"Content-Type": "application/json"})
        response = conn.getresponse()
        raw = response.read()
    except (OSError, http.client.HTTPException) as exc:
        raise NodeUnavailableError(
            f"node {node_id} did not answer: {type(exc).__name__}: {exc}", where=url
        ) from None
    finally:
        conn.close()
    try:
        if response.status != 200:
            error = json.loads(raw)["error"]
            raise _error_class(error["code"])(
                f"node {node_id}: {error['message']}", where=error.get("where") or node_id
            )
        return answer.model_validate_json(raw)
    except (ValueError, KeyError, TypeError, ValidationError):
        raise ProtocolError(f"node {node_id} sent a malformed answer", where=url) from None
