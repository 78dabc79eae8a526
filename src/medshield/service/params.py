"""Request parameters of an API call, checked against the API's declaration (bound, never
spliced into SQL): a value outside its pattern or range is refused as bad input."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from typing import Any

from medshield.errors import InputError
from medshield.policy.schema import ApiDef

PAGING = ("limit", "offset")


def bind_params(api: ApiDef, path: Mapping[str, str], query: Mapping[str, str]) -> dict[str, Any]:
    bound: dict[str, Any] = {}
    for p in api.params:
        raw = path.get(p.name) if p.where == "path" else query.get(p.name)
        if raw is None or raw == "":
            if p.required:
                raise InputError(f"parameter {p.name!r} is required", where=p.name)
            bound[p.name] = p.default
            continue
        if p.type == "integer":
            if not re.fullmatch(r"\d{1,9}", raw):
                raise InputError(f"parameter {p.name!r} must be a whole number", where=p.name)
            value = int(raw)
            if p.maximum is not None and value > p.maximum:
                raise InputError(f"parameter {p.name!r} is above {p.maximum}", where=p.name)
            bound[p.name] = value
            continue
        if p.pattern is not None and not re.fullmatch(p.pattern, raw):
            raise InputError(f"parameter {p.name!r} is malformed", where=p.name)
        bound[p.name] = raw
    return bound


def request_hash(api: ApiDef, params: Mapping[str, Any]) -> str:
    """The hash a consent code is bound to: the API and its parameters except paging."""
    kept = {k: str(v) for k, v in sorted(params.items()) if k not in PAGING}
    blob = json.dumps({"api": api.id, "params": kept}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()


def asked_fields(query: Mapping[str, str]) -> list[str] | None:
    raw = query.get("fields")
    return [f.strip() for f in raw.split(",") if f.strip()] if raw else None
