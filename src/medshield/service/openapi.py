"""The OpenAPI document of the gateway, generated from the API catalogue (R23)."""

from __future__ import annotations

from typing import Any

from medshield.mask.aggregate import STATISTICS
from medshield.policy.bundle import PolicyBundle
from medshield.policy.schema import ApiDef

PROBLEM = {"$ref": "#/components/schemas/Problem"}
REFUSALS = {"400", "401", "403", "404", "429", "502"}


def _problem_responses() -> dict[str, Any]:
    return {
        code: {
            "description": "refused (a problem document with a stable code)",
            "content": {"application/problem+json": {"schema": PROBLEM}},
        }
        for code in sorted(REFUSALS)
    }


def _param(p: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": p.type}
    if p.pattern:
        schema["pattern"] = p.pattern
    if p.type == "integer":
        schema["minimum"] = 0
        if p.maximum is not None:
            schema["maximum"] = p.maximum
    return {"name": p.name, "in": p.where, "required": p.where == "path" or p.required,
            "schema": schema}  # fmt: skip


def _item_schema(api: ApiDef) -> dict[str, Any]:
    """One record: the API's fields as masked for the caller (a masked field may change its
    type), or, for an aggregate API, its groups, ``n`` and each measure's statistics."""
    props: dict[str, Any] = {
        f.name: {"description": f"{f.zh} {f.element}".strip(), "x-element": f.element}
        for f in api.fields
    }
    if api.aggregate is not None:
        props = {name: props[name] for name in api.aggregate.group_by}
        props["n"] = {"type": "integer", "minimum": 0}
        for measure in api.aggregate.measures:
            for stat in STATISTICS:
                props[f"{measure}_{stat}"] = {"type": ["number", "null"]}
    return {"type": "object", "properties": props, "additionalProperties": False}


def _operation(api: ApiDef) -> dict[str, Any]:
    item = _item_schema(api)
    params = [_param(p) for p in api.params]
    params.append({"name": "fields", "in": "query", "required": False,
                   "schema": {"type": "string"}, "description": "fields wanted, comma-separated"})  # fmt: skip
    if api.requires_consent:
        params.append({"name": "X-MS-Consent", "in": "header", "required": False,
                       "schema": {"type": "string"}, "description": "CONSENT_ID:SMS_CODE"})  # fmt: skip
    body = {
        "type": "object",
        "required": ["api", "count", "items", "intercepted", "next_offset"],
        "properties": {
            "api": {"type": "string"},
            "count": {"type": "integer", "minimum": 0},
            "items": {"type": "array", "items": item},
            "intercepted": {"type": "array", "items": {"type": "string"}},
            "next_offset": {"type": ["integer", "null"]},
        },
    }
    return {
        "operationId": api.id,
        "summary": api.zh or api.id,
        "security": [{"token": []}],
        "parameters": params,
        "responses": {
            "200": {"description": "records", "content": {"application/json": {"schema": body}}},
            **_problem_responses(),
        },
    }


ADMIN_PATHS: dict[str, Any] = {
    "/admin/tokens": {
        "get": {"operationId": "admin.tokens.list", "summary": "list tokens (no secrets)"},
        "post": {
            "operationId": "admin.tokens.issue",
            "summary": "issue a token",
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/TokenRequest"}}
                },
            },
        },  # fmt: skip
    },
    "/admin/tokens/{token_id}/rotate": {
        "post": {"operationId": "admin.tokens.rotate", "summary": "rotate a token"},
    },
    "/admin/tokens/{token_id}": {
        "delete": {"operationId": "admin.tokens.revoke", "summary": "revoke a token"},
    },
    "/admin/metrics": {"get": {"operationId": "admin.metrics", "summary": "Prometheus metrics"}},
    "/admin/alerts": {
        "get": {
            "operationId": "admin.alerts.list",
            "summary": "open alerts, oldest first",
            "security": [{"staff": []}],
        },
    },
    "/admin/alerts/{seq}/ack": {
        "post": {
            "operationId": "admin.alerts.ack",
            "summary": "acknowledge an alert",
            "security": [{"staff": []}],
            "requestBody": {
                "required": False,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {"note": {"type": "string", "maxLength": 500}},
                        }
                    }
                },
            },
        },
    },  # fmt: skip
}
_PATH_PARAMS = {
    "{token_id}": {
        "name": "token_id",
        "in": "path",
        "required": True,
        "schema": {"type": "string"},
    },
    "{seq}": {"name": "seq", "in": "path", "required": True, "schema": {"type": "integer"}},
}


def openapi_document(bundle: PolicyBundle) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for api in bundle.apis:
        if not api.exposed:
            continue
        paths.setdefault(api.path, {})[api.method.lower()] = _operation(api)
        if api.requires_consent:
            paths[api.path + "/consent"] = {"post": {
                **_operation(api), "operationId": f"{api.id}.consent",
                "summary": f"send the patient an SMS code for {api.id}",
                "responses": {"200": {"description": "the consent id"}, **_problem_responses()},
            }}  # fmt: skip
    paths["/probe/inbox"] = {"get": {
        "operationId": "probe.inbox", "security": [{"token": []}], "parameters": [],
        "summary": "the probe patient's newest consent message for this canary token (read once)",
        "responses": {"200": {"description": "{message: text or null}"}, **_problem_responses()},
    }}  # fmt: skip
    for path, ops in ADMIN_PATHS.items():
        for method, op in ops.items():
            params = [p for key, p in _PATH_PARAMS.items() if key in path]
            paths.setdefault(path, {})[method] = {
                "security": [{"admin": []}], **op, "parameters": params,
                "responses": {"200": {"description": "done"}, **_problem_responses()},
            }  # fmt: skip
    return {
        "openapi": "3.1.0",
        "info": {"title": "medshield data-service gateway", "version": bundle.short_version},
        "paths": paths,
        "components": {
            "securitySchemes": {
                "token": {"type": "http", "scheme": "bearer", "description": "mst_ID_SECRET"},
                "admin": {"type": "http", "scheme": "bearer", "description": "the admin key"},
                "staff": {
                    "type": "http",
                    "scheme": "basic",
                    "description": "a member id of the policy and its console password",
                },  # fmt: skip
            },
            "schemas": {
                "Problem": {
                    "type": "object",
                    "required": ["type", "title", "status", "code"],
                    "properties": {
                        "type": {"type": "string"},
                        "title": {"type": "string"},
                        "status": {"type": "integer"},
                        "code": {"type": "string"},
                        "detail": {"type": "string"},
                    },
                },  # fmt: skip
                "TokenRequest": {
                    "type": "object",
                    "required": [
                        "institution",
                        "application",
                        "role",
                        "max_level",
                        "apis",
                        "approval",
                    ],
                    "properties": {
                        "approval": {
                            "type": "integer",
                            "description": "request id of the approved data access application",
                        },
                        "institution": {"type": "string"},
                        "application": {"type": "string"},
                        "role": {"type": "string"},
                        "scenario": {"type": ["string", "null"]},
                        "max_level": {"type": "string"},
                        "apis": {
                            "type": "object",
                            "additionalProperties": {"type": "array", "items": {"type": "string"}},
                        },
                        "scopes": {"type": "array", "items": {"type": "string"}},
                        "ttl_seconds": {"type": "integer", "minimum": 1},
                        "signed": {"type": "boolean"},
                    },
                },  # fmt: skip
            },
        },
    }
