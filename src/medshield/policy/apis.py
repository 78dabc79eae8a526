"""The parts of a data API of ``apis.yaml`` (R23): parameters, response fields, aggregates.

An API is query-backed (a parameterised query over a registered source database) or a proxy to
an upstream URL. It declares its parameters, the data element of every response field and the
scopes a token needs; the gateway's OpenAPI document is generated from these declarations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from medshield.errors import PolicyReferenceError

if TYPE_CHECKING:
    from medshield.policy.bundle import PolicyBundle

NAME = r"^[a-z][a-z0-9_]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ApiParam(_Strict):
    """One request parameter, bound to the query by name (never spliced into its text)."""

    name: str = Field(pattern=NAME)
    where: Literal["path", "query"] = "query"
    type: Literal["string", "integer"] = "string"
    required: bool = True
    pattern: str | None = None  # a regular expression the value must match
    maximum: int | None = None  # for integers
    default: int | str | None = None  # taken when an optional parameter is not given
    patient: bool = False  # the value identifies the one patient of the call


class ApiField(_Strict):
    """One field of each returned record and the data element it holds ('' for none)."""

    name: str = Field(pattern=NAME)
    element: str = ""
    type: Literal["string", "integer", "number", "boolean"] = "string"
    zh: str = ""


class ApiAggregate(_Strict):
    """Aggregate-only release (R22): statistics of ``measures`` per group of ``group_by``."""

    group_by: tuple[str, ...] = ()
    measures: tuple[str, ...] = Field(min_length=1)


def check_apis(bundle: PolicyBundle) -> None:
    """Each API names known roles, scenarios and elements, and declares what its kind needs."""
    roles = {r.id for r in bundle.roles}
    doc = bundle.sources.get("apis")
    for i, api in enumerate(bundle.apis):

        def fail(message: str, *loc: str | int, api_id: str = api.id, index: int = i) -> None:
            where = doc.where(("apis", index, *loc)) if doc is not None else str(bundle.root)
            raise PolicyReferenceError(f"API {api_id!r}: {message}", where=where)

        if api.kind == "query" and not (api.source and api.query):
            fail("a query-backed API needs source and query", "kind")
        if api.kind == "proxy" and not api.upstream:
            fail("a proxy API needs upstream", "kind")
        names = [f.name for f in api.fields]
        if len(set(names)) != len(names):
            fail("a field is declared twice", "fields")
        for j, f in enumerate(api.fields):
            if f.element and f.element not in bundle.catalogue:
                fail(f"unknown data element {f.element!r}", "fields", j, "element")
        for j, role in enumerate(api.roles):
            if role not in roles:
                fail(f"unknown role {role!r}", "roles", j)
        for j, scenario in enumerate(api.scenarios):
            if scenario not in bundle.scenario_keys:
                fail(f"unknown scenario {scenario!r}", "scenarios", j)
        patients = [p.name for p in api.params if p.patient]
        if (api.one_patient_per_call or api.requires_consent) and len(patients) != 1:
            fail("a one-patient API names exactly one patient parameter", "params")
        if api.aggregate is not None:
            for name in (*api.aggregate.group_by, *api.aggregate.measures):
                if name not in names:
                    fail(f"aggregate column {name!r} is not a field", "aggregate")
