"""Masking plans: which operator masks each column, and why (R17, R18, R22).

For each column the plan takes the column's data element, then, in order:

1. the first rule of ``masking.yaml`` whose elements, ``min_level``, roles and scenarios all
   match (policy order). ``min_level`` is compared with the element's own level in the
   catalogue: what the data *is* (an HIV result is controlled wherever it goes), not where this
   use takes it;
2. the element's default masking from the catalogue, when it masks (anything but ``none``);
3. ``keep`` when the element's default is ``none`` and the level the released data will have
   is within the caller's role maximum. That level is the effective level in the use context,
   counting the downgrade of a verified release: a release that fails verification is refused
   as a whole (``mask.verify``), so nothing is released at the lower level unverified;
4. otherwise the fail-closed default (``masking.default_operator``, ``suppress``).

A column without a data element (not classified) takes the fail-closed default too.

The catalogue's graded level of a column, a manual override included, counts when it is above
its element's level (an override never lowers what masking does): rules match against it, and
a column it puts above the role's maximum that no rule masks is suppressed, or the job refused,
as ``masking.above_role`` says.

A plan is built from a ``MaskingGrant`` (``policy.grant_masking``), never from a bare context:
a context the policy refuses has no grant, so nothing can be planned or masked for it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import polars as pl

from medshield.elements.levels import Level
from medshield.errors import ColumnAboveRoleError, MaskingRefusedError
from medshield.mask.operators import apply_operator, build_operator
from medshield.mask.operators.base import MaskContext, MaskOperator
from medshield.mask.policy_check import element_masking
from medshield.policy.bundle import PolicyBundle
from medshield.policy.calculus import column_level, effective_level
from medshield.policy.context import Form, UseContext
from medshield.policy.grant import MaskingGrant
from medshield.policy.schema import ColumnGrade, MaskingRule

# Elements that identify the patient: date_shift keys its per-patient shift on the first found.
PATIENT_KEYS = (
    "DE01.00.001.00",  # patient master index id
    "DE02.01.030.00",  # ID document number
    "DE01.00.016.00",  # resident health card
    "DE01.00.021.00",  # medical record number
    "DE01.00.010.00",  # outpatient number
    "DE01.00.014.00",  # inpatient number
    "DE01.00.017.00",  # medical insurance number
)


# Operators whose output stands in for an identifier by design (R22); verification does not
# count such values as residual identifiers.
REPLACEMENT_OPERATORS = frozenset({"pseudonym", "random_id", "fpe"})

# Operators after which a quasi-identifier no longer links to outside data: nothing is left
# (suppress), every date of a patient moved by a secret shift, or a replacement identifier.
UNLINKED_OPERATORS = frozenset({"suppress", "date_shift"}) | REPLACEMENT_OPERATORS

# Operators whose output is a quasi-identifier whatever the column held: an ID number read as
# an age or birth date, an address cut to its region.
QUASI_OPERATORS = frozenset({"id_to_age", "id_to_age_band", "id_to_birth", "cut_address"})


@dataclass(frozen=True)
class ColumnPlan:
    column: str
    element: str | None
    level: Level | None
    operator: str
    params: dict[str, Any] = field(hash=False)
    reason: str
    quasi: bool = False  # the element is a quasi-identifier (the catalogue says)
    join_group: str | None = None  # columns of one identifier across a release

    def build(self, context: MaskContext) -> MaskOperator:
        return build_operator(self.operator, self.params, context, where=f"column {self.column}")


@dataclass(frozen=True)
class MaskPlan:
    """One operator per column, each with its reason, under one policy version."""

    columns: tuple[ColumnPlan, ...]
    context: UseContext
    policy_version: str
    dictionary_batch: int | None
    aggregate_only: bool

    def __getitem__(self, column: str) -> ColumnPlan:
        return next(c for c in self.columns if c.column == column)

    @property
    def digest(self) -> str:
        """A digest of what the plan does (operators and params per column, policy version)."""
        body = [(c.column, c.operator, c.params) for c in self.columns]
        text = json.dumps(
            [body, self.policy_version, self.aggregate_only], sort_keys=True, default=str
        )
        return "sha256:" + hashlib.sha256(text.encode()).hexdigest()

    def replaced_columns(self) -> tuple[str, ...]:
        """Columns this plan fills with replacement identifiers (pseudonyms, random ids)."""
        return tuple(c.column for c in self.columns if c.operator in REPLACEMENT_OPERATORS)

    def kept_columns(self) -> dict[str, str]:
        """Columns the policy keeps as they are, with their elements: a whole value of such a
        column (a staff name where the scenario keeps it) is what the plan chose to release,
        not a residual identifier."""
        return {c.column: c.element for c in self.columns if c.operator == "keep" and c.element}

    def quasi_columns(self) -> tuple[str, ...]:
        """Quasi-identifier columns the release still links by: k-anonymity is measured on
        them. A quasi-identifier element, or an operator whose output is one (an age from an
        ID number, a region from an address); suppressed, date-shifted and replaced columns link to nothing outside."""
        return tuple(
            c.column
            for c in self.columns
            if (c.quasi or c.operator in QUASI_OPERATORS) and c.operator not in UNLINKED_OPERATORS
        )

    def operators(self, context: MaskContext) -> dict[str, MaskOperator]:
        return {c.column: c.build(context) for c in self.columns}

    def rows(self) -> list[dict[str, Any]]:
        """The plan as report rows."""
        return [
            {
                "column": c.column,
                "element": c.element,
                "level": c.level.en if c.level else None,
                "operator": c.operator,
                "params": c.params,
                "reason": c.reason,
                "join_group": c.join_group or "",
            }
            for c in self.columns
        ]


def _matches(rule: MaskingRule, element: str, base: Level, ctx: UseContext) -> bool:
    if rule.elements and element not in rule.elements:
        return False
    if rule.min_level is not None and base < rule.min_level:
        return False
    if rule.roles and ctx.role not in rule.roles:
        return False
    return not (rule.scenarios and ctx.scenario not in rule.scenarios)


def _with_patient_key(
    operator: str, params: dict[str, Any], columns: Mapping[str, str | None]
) -> dict[str, Any]:
    if operator != "date_shift" or params.get("key_column"):
        return params
    by_element = {e: c for c, e in columns.items() if e}
    key = next((by_element[e] for e in PATIENT_KEYS if e in by_element), None)
    return {**params, "key_column": key} if key else params


def _graded(
    column: str, element: str, graded: Level | None, context: UseContext, bundle: PolicyBundle
) -> Level | None:
    """The level of a column the catalogue grades above its element in ``context``, if so."""
    if graded is None or graded <= bundle.catalogue[element].level:
        return None
    grade = ColumnGrade(source="-", table="-", column=column, elements=(element,), level=graded)
    return column_level(bundle, grade, context).level


def plan_column(
    column: str,
    element: str | None,
    grant: MaskingGrant,
    bundle: PolicyBundle,
    graded: Level | None = None,
) -> tuple[Level | None, str, dict[str, Any], str]:
    """``(level, operator, params, reason)`` for one column; ``graded`` is its catalogue level
    (override included)."""
    context, role = grant.context, grant.role
    default = bundle.masking.default_operator
    if element is None:
        return None, default, {}, f"no data element (unclassified): fail-closed {default}"
    level = effective_level(bundle, [element], context).level
    base = bundle.catalogue[element].level
    raised = _graded(column, element, graded, context, bundle)
    if raised is not None and graded is not None:
        level, base = raised, graded
    for rule in bundle.masking.rules:
        if _matches(rule, element, base, context):
            return level, rule.operator, dict(rule.params), f"rule {rule.name}"
    if raised is not None and graded is not None:
        released = _graded(column, element, graded, replace(context, verified=True), bundle)
        if released is not None and released > role.max_level:
            why = f"catalogue level {graded} of {column} above role {role.id} maximum"
            if bundle.masking.above_role == "refuse":
                raise ColumnAboveRoleError(f"masking refused: {why}", where=column)
            return level, default, {}, f"{why}: {default}"
    own = bundle.catalogue[element].masking
    if own != "none":
        operator, params = element_masking(own, element)
        return level, operator, params, f"default masking of {element} ({own})"
    released = effective_level(bundle, [element], replace(context, verified=True)).level
    if released <= role.max_level:
        why = f"{element} needs no masking; level {released} within role {role.id} maximum"
        return level, "keep", {}, why
    who = f"role {role.id} maximum {role.max_level}"
    return level, default, {}, f"level {level} above {who}, no rule applies: fail-closed {default}"


def plan_for(
    table_columns: Mapping[str, str | None],
    grant: MaskingGrant,
    bundle: PolicyBundle,
    levels: Mapping[str, Level | str | None] | None = None,
) -> MaskPlan:
    """The plan of a table whose columns hold the given data elements (None: unclassified),
    for the context the gate granted; ``levels`` are the columns' catalogue levels."""
    if not isinstance(grant, MaskingGrant):
        raise MaskingRefusedError("a masking plan needs a grant from policy.grant_masking")
    grant.check(bundle)
    context = grant.context
    planned = []
    for column, element in table_columns.items():
        graded = (levels or {}).get(column)
        pinned = Level.parse(graded) if isinstance(graded, str) else graded
        level, operator, params, reason = plan_column(column, element, grant, bundle, pinned)
        params = _with_patient_key(operator, params, table_columns)
        quasi = element is not None and bundle.catalogue[element].identifier == "quasi"
        planned.append(ColumnPlan(column, element, level, operator, params, reason, quasi))
    return MaskPlan(
        columns=tuple(planned),
        context=context,
        policy_version=bundle.version,
        dictionary_batch=bundle.masking.dictionary_batch,
        aggregate_only=context.form is Form.AGGREGATED,
    )


def mask_frame(frame: pl.DataFrame, plan: MaskPlan, context: MaskContext) -> pl.DataFrame:
    """Every planned column of a Polars DataFrame masked (other columns dropped: fail closed)."""
    ops = plan.operators(context)
    present = [c.column for c in plan.columns if c.column in frame.columns]
    return pl.DataFrame([apply_operator(ops[c], frame, c).alias(c) for c in present])
