"""Cross-references inside a bundle: every name used must be defined, every id unique."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from medshield.elements.catalogue import load_catalogue
from medshield.elements.categories import CATEGORY_KEYS
from medshield.errors import PolicyReferenceError

if TYPE_CHECKING:
    from medshield.policy.bundle import PolicyBundle

Loc = tuple[str | int, ...]


def check_references(bundle: PolicyBundle) -> None:
    """Raise ``PolicyReferenceError`` naming file and line of the first bad reference."""

    def where(attr: str, loc: Loc) -> str:
        doc = bundle.sources.get(attr)
        return doc.where(loc) if doc is not None else str(bundle.root)

    def unique(attr: str, ids: Iterable[str], what: str, key: str | None = None) -> None:
        seen: set[str] = set()
        for i, ident in enumerate(ids):
            if ident in seen:
                raise PolicyReferenceError(
                    f"duplicated {what} {ident!r}", where=where(attr, (key or attr, i))
                )
            seen.add(ident)

    def known(attr: str, loc: Loc, names: Iterable[str], valid: Iterable[str], what: str) -> None:
        valid_set = set(valid)
        for j, name in enumerate(names):
            if name not in valid_set:
                raise PolicyReferenceError(f"unknown {what} {name!r}", where=where(attr, (*loc, j)))

    unique("institutions", (i.id for i in bundle.institutions), "institution")
    unique("roles", (r.id for r in bundle.roles), "role")
    unique("scenarios", (sc.key for sc in bundle.scenarios), "scenario")
    unique("apis", (a.id for a in bundle.apis), "API")

    hubs = {i.id for i in bundle.institutions if i.kind == "hub"}
    for i, inst in enumerate(bundle.institutions):
        if inst.hub is not None and inst.hub not in hubs:
            raise PolicyReferenceError(
                f"institution {inst.id!r} names hub {inst.hub!r}, which is not a hub",
                where=where("institutions", ("institutions", i, "hub")),
            )

    builtin = load_catalogue()
    unique("elements", (e.code for e in bundle.elements.extra), "extra data element", "extra")
    for i, element in enumerate(bundle.elements.extra):
        if element.code in builtin:
            raise PolicyReferenceError(
                f"extra data element {element.code!r} is already built in; change it under "
                "overrides instead",
                where=where("elements", ("extra", i, "code")),
            )
    codes = set(bundle.catalogue)
    for code in bundle.elements.overrides:
        if code not in codes:
            raise PolicyReferenceError(
                f"unknown data element {code!r}", where=where("elements", ("overrides", code))
            )
    roles = {r.id for r in bundle.roles}
    scenarios = bundle.scenario_keys
    for i, role in enumerate(bundle.roles):
        known("roles", ("roles", i, "scenarios"), role.scenarios, scenarios, "scenario")
    for i, rule in enumerate(bundle.levels.rules):
        loc: Loc = ("rules", i, "when")
        known("levels", (*loc, "elements"), rule.when.elements, codes, "data element")
        known("levels", (*loc, "categories"), rule.when.categories, CATEGORY_KEYS, "category")
        regulations = {r.key for r in bundle.meta.regulations}
        if rule.when.regulation is not None and rule.when.regulation not in regulations:
            raise PolicyReferenceError(
                f"unknown regulation {rule.when.regulation!r}",
                where=where("levels", (*loc, "regulation")),
            )
    for i, m in enumerate(bundle.masking.rules):
        known("masking", ("rules", i, "elements"), m.elements, codes, "data element")
        known("masking", ("rules", i, "roles"), m.roles, roles, "role")
        known("masking", ("rules", i, "scenarios"), m.scenarios, scenarios, "scenario")
    for i, api in enumerate(bundle.apis):
        known("apis", ("apis", i, "elements"), api.elements, codes, "data element")
        known("apis", ("apis", i, "roles"), api.roles, roles, "role")
        known("apis", ("apis", i, "scenarios"), api.scenarios, scenarios, "scenario")
    for i, ret in enumerate(bundle.retention):
        known("retention", ("retention", i, "elements"), ret.elements, codes, "data element")
    _check_columns(bundle, where, roles)


def _check_columns(bundle: PolicyBundle, where: Callable[[str, Loc], str], roles: set[str]) -> None:
    """One pass over ``columns.yaml`` (hundreds of thousands of entries): sets, no lookups."""
    levels = {code: e.level for code, e in bundle.catalogue.items()}
    seen: set[tuple[str, str, str]] = set()
    for i, col in enumerate(bundle.columns):
        here: Loc = ("columns", i)
        for j, code in enumerate(col.elements):
            if code not in levels:
                raise PolicyReferenceError(
                    f"unknown data element {code!r}", where=where("columns", (*here, "elements", j))
                )
        for j, role in enumerate(col.roles or ()):
            if role not in roles:
                raise PolicyReferenceError(
                    f"unknown role {role!r}", where=where("columns", (*here, "roles", j))
                )
        if col.key in seen:
            raise PolicyReferenceError(
                f"column {'.'.join(col.key)} graded twice", where=where("columns", here)
            )
        seen.add(col.key)
        if col.level is not None and col.elements and not col.reason:
            highest = max(levels[code] for code in col.elements)
            if col.level < highest:
                raise PolicyReferenceError(
                    f"column {'.'.join(col.key)} is pinned at {col.level}, below its elements' "
                    f"{highest}; give the reason",
                    where=where("columns", (*here, "level")),
                )
