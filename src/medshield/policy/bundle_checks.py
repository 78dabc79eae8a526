"""The policy's own checks of a bundle (cross-references, the API catalogue, the organisation),
run first by ``load_bundle`` (see ``checks.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from medshield.errors import PolicyReferenceError
from medshield.policy.admin import check_governance
from medshield.policy.references import check_references

if TYPE_CHECKING:
    from medshield.policy.bundle import PolicyBundle


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


class ReferencesCheck:
    """Every name the bundle uses is defined, every id is unique."""

    name: ClassVar[str] = "references"

    def check(self, bundle: PolicyBundle) -> None:
        check_references(bundle)


class ApisCheck:
    """Each API names known roles, scenarios and elements, and declares what its kind needs."""

    name: ClassVar[str] = "apis"

    def check(self, bundle: PolicyBundle) -> None:
        check_apis(bundle)


class GovernanceCheck:
    """Every role, action and workflow the governance section names exists."""

    name: ClassVar[str] = "governance"

    def check(self, bundle: PolicyBundle) -> None:
        check_governance(bundle)


BUNDLE_CHECKS = (ReferencesCheck, ApisCheck, GovernanceCheck)
