"""Which fields of an API a caller receives (R23, R25): the token's grant, the API's roles and
scopes, and the policy's decision per field. Fields asked for but not released are intercepted
and recorded, never returned."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from medshield.elements.levels import Level
from medshield.errors import ScopeError
from medshield.policy.bundle import PolicyBundle
from medshield.policy.context import Form, Scope, Stage, UseContext
from medshield.policy.decision import decide_access
from medshield.policy.schema import ApiDef


@dataclass(frozen=True)
class Grant:
    """Who asks, as the policy sees it."""

    role: str
    scenario: str | None
    max_level: Level
    fields: tuple[str, ...]  # fields granted ("*": all)
    scopes: frozenset[str]


@dataclass(frozen=True)
class FieldScope:
    released: tuple[str, ...]
    intercepted: tuple[str, ...]
    reasons: tuple[str, ...]
    # What releasing them takes, worked out once with the scope: each released field's data
    # element, and the use of data the call is (``release_context``).
    columns: Mapping[str, str | None] = field(compare=False)
    context: UseContext = field(compare=False)


def release_context(grant: Grant, api: ApiDef) -> UseContext:
    """The use of data an API call is: shared across the alliance, masked and inspected."""
    form = Form.AGGREGATED if api.aggregate is not None else Form.MASKED
    return UseContext(
        form=form,
        stage=Stage.SHARE,
        scope=Scope.ALLIANCE,
        verified=True,  # every response passes inspection before release, or is blocked
        role=grant.role,
        scenario=grant.scenario,
    )


_DECIDED: dict[tuple[str, str, Grant], tuple[dict[str, str], str | None]] = {}


def _policy_fields(bundle: PolicyBundle, api: ApiDef, grant: Grant) -> dict[str, str]:
    """Field -> why it is refused, for the fields the policy refuses to this grant."""
    key = (bundle.version, api.id, grant)
    found = _DECIDED.get(key)
    if found is not None:
        return found[0]
    context = release_context(grant, api)
    refused: dict[str, str] = {}
    for f in api.fields:
        decision = decide_access(bundle, [f.element] if f.element else [], context)
        if not decision.allowed:
            refused[f.name] = decision.reasons[0]
        elif decision.level is not None and decision.level.level > grant.max_level:
            refused[f.name] = f"level {decision.level.level.en} above the token's maximum"
    if len(_DECIDED) > 4096:
        _DECIDED.clear()
    _DECIDED[key] = (refused, None)
    return refused


def field_scope(
    bundle: PolicyBundle, api: ApiDef, grant: Grant, asked: Sequence[str] | None
) -> FieldScope:
    """The fields released and intercepted; ``ScopeError`` when the API itself is refused or
    nothing at all can be released."""
    if api.roles and grant.role not in api.roles:
        raise ScopeError("this API is not open to the token's role", where=api.id)
    if not set(api.scopes) <= grant.scopes:
        raise ScopeError("the token lacks a scope this API needs", where=api.id)
    names = [f.name for f in api.fields]
    wanted = list(asked) if asked else names
    granted = set(names) if "*" in grant.fields else set(grant.fields)
    refused = _policy_fields(bundle, api, grant)
    released, intercepted, reasons = [], [], []
    for name in wanted:
        if name in granted and name not in refused and name in names:
            released.append(name)
        else:
            intercepted.append(name)
            reasons.append(refused.get(name, f"field {name!r} outside the token's grant"))
    if not released:
        raise ScopeError("no requested field is within the token's scope", where=api.id)
    elements = {f.name: f.element or None for f in api.fields}
    return FieldScope(
        tuple(released), tuple(intercepted), tuple(reasons),
        {name: elements[name] for name in released}, release_context(grant, api),
    )  # fmt: skip
