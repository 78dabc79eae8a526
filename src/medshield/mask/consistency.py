"""A release is consistent: joins survive and the dates of one patient move together (R22).

- **Join groups.** Columns that hold the same identifier — the same identification element
  (``DE01.*``), or linked by a declared foreign key — are one group and get one operator with
  one set of params (so one key): the most protective replacement any of them was planned
  with. A suppressed member stays suppressed.
- **Dates.** Every date shift of a release is keyed on the same patient identifier element, so
  a patient's dates move by one shift in every table; when no patient identifier is common to
  the tables with shifted dates, one shift moves every date of the release. A date or time
  column kept raw only because it needed no masking is shifted too; one the policy keeps raw
  by a rule, beside shifted dates, refuses the release (``InconsistentReleaseError``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from medshield.errors import InconsistentReleaseError
from medshield.mask.plan import PATIENT_KEYS, REPLACEMENT_OPERATORS, ColumnPlan, MaskPlan
from medshield.policy import PolicyBundle

Column = tuple[str, str]  # (table, column)
PROTECTIVE = ("random_id", "pseudonym", "fpe")  # most protective first
TEMPORAL = ("日期", "时间")


def join_groups(
    plans: Mapping[str, MaskPlan], links: Iterable[tuple[Column, Column]] = ()
) -> list[list[Column]]:
    """Groups of two or more columns that hold one identifier: same ``DE01.*`` element, or
    linked (declared foreign keys)."""
    parent: dict[Column, Column] = {}

    def find(c: Column) -> Column:
        while parent.setdefault(c, c) != c:
            c = parent[c]
        return c

    def union(a: Column, b: Column) -> None:
        parent[find(a)] = find(b)

    first: dict[str, Column] = {}
    for table, plan in plans.items():
        for c in plan.columns:
            if c.element and c.element.startswith("DE01."):
                here = (table, c.column)
                union(here, first.setdefault(c.element, here))
    for a, b in links:
        if a[0] in plans and b[0] in plans:
            union(a, b)
    groups: dict[Column, list[Column]] = {}
    for column in parent:
        groups.setdefault(find(column), []).append(column)
    return sorted(sorted(g) for g in groups.values() if len(g) > 1)


def _unify(plans: dict[str, MaskPlan], group: list[Column], name: str) -> None:
    members = [(t, plans[t][c]) for t, c in group]
    chosen = next(
        (cp for op in PROTECTIVE for _, cp in members if cp.operator == op),
        None,
    )
    if chosen is None:
        return
    for table, cp in members:
        if cp.operator == "suppress":
            continue
        same = (cp.operator, cp.params) == (chosen.operator, chosen.params)
        why = cp.reason if same else f"join group {name}: {chosen.operator} (was {cp.operator})"
        new = replace(cp, operator=chosen.operator, params=dict(chosen.params), reason=why)
        plans[table] = _with(plans[table], replace(new, join_group=name))


def _with(plan: MaskPlan, column: ColumnPlan) -> MaskPlan:
    return replace(
        plan, columns=tuple(column if c.column == column.column else c for c in plan.columns)
    )


def _temporal(bundle: PolicyBundle, element: str | None) -> bool:
    return element is not None and any(w in bundle.catalogue[element].zh for w in TEMPORAL)


def _patient_key(plan: MaskPlan, element: str) -> str | None:
    return next((c.column for c in plan.columns if c.element == element), None)


def _align_dates(plans: dict[str, MaskPlan], bundle: PolicyBundle) -> None:
    if not any(c.operator == "date_shift" for p in plans.values() for c in p.columns):
        return
    shifting = {  # tables with dates that move: shifted ones, and raw ones that will be
        t: p
        for t, p in plans.items()
        if any(
            c.operator == "date_shift" or (c.operator == "keep" and _temporal(bundle, c.element))
            for c in p.columns
        )
    }
    common = next(
        (e for e in PATIENT_KEYS if all(_patient_key(p, e) for p in shifting.values())), None
    )
    for table, plan in list(plans.items()):
        for c in plan.columns:
            raw_date = c.operator == "keep" and _temporal(bundle, c.element)
            if raw_date and c.reason.startswith("rule "):
                raise InconsistentReleaseError(
                    f"the policy keeps {c.column} raw ({c.reason}) while other dates of the "
                    "same patients are shifted: the shift could be read back",
                    where=f"{table}.{c.column}",
                )
            if c.operator != "date_shift" and not raw_date:
                continue
            # one key for the whole release: the common patient key, else one shift for all
            key = _patient_key(plan, common) if common else None
            params = {k: v for k, v in c.params.items() if k != "key_column"}
            if key:
                params["key_column"] = key
            why = c.reason if not raw_date else "dates of a patient move together"
            if not common:
                why += "; no patient key common to the release: one shift for every date"
            shifted = replace(c, operator="date_shift", params=params, reason=why)
            plans[table] = plan = _with(plan, shifted)


def consistent_plans(
    plans: Mapping[str, MaskPlan],
    bundle: PolicyBundle,
    links: Iterable[tuple[Column, Column]] = (),
) -> tuple[dict[str, MaskPlan], list[list[Column]]]:
    """The plans of one release made consistent, and its join groups."""
    out = dict(plans)
    groups = join_groups(out, links)
    for n, group in enumerate(groups, 1):
        _unify(out, group, f"J{n}")
    _align_dates(out, bundle)
    return out, groups


__all__ = ["REPLACEMENT_OPERATORS", "consistent_plans", "join_groups"]
