"""Decisions: every yes or no of the system, with its reasons and the policy version."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from medshield.policy.bundle import PolicyBundle
from medshield.policy.calculus import LevelResult, column_level, effective_level
from medshield.policy.context import UseContext
from medshield.policy.schema import Role

Action = Literal["allow", "deny", "alert"]


@dataclass(frozen=True)
class Decision:
    action: Action
    reasons: tuple[str, ...]
    policy_version: str
    level: LevelResult | None = None

    @property
    def allowed(self) -> bool:
        """Only a known yes is a yes: an action other than allow or alert is a no (fail closed)."""
        return self.action in ("allow", "alert")


def decide_access(
    bundle: PolicyBundle, element_codes: Iterable[str], context: UseContext
) -> Decision:
    """May ``context.role`` use data holding these elements in this context? Fails closed."""
    role = _role_or_refusal(bundle, context)
    if isinstance(role, Decision):
        return role
    return _within_role(bundle, role, effective_level(bundle, element_codes, context))


def decide_column(
    bundle: PolicyBundle, source: str, table: str, column: str, context: UseContext
) -> Decision:
    """May ``context.role`` use this column (``columns.yaml``) in this context? Fails closed."""
    name = f"{source}.{table}.{column}"
    grade = bundle.column(source, table, column)
    if grade is None:
        return Decision("deny", (f"column {name} is not graded: denied",), bundle.version)
    role = _role_or_refusal(bundle, context)
    if isinstance(role, Decision):
        return role
    if grade.roles is not None and role.id not in grade.roles:
        why = f"role {role.id!r} is not among the roles of column {name}"
        return Decision("deny", (why,), bundle.version)
    return _within_role(bundle, role, column_level(bundle, grade, context))


def decide_masking(bundle: PolicyBundle, context: UseContext) -> Decision:
    """May data be masked for ``context``: a known role, a known scenario the role is granted?

    Masking lowers the level of what it releases, so the level of the raw data does not refuse
    here; each column above the role's maximum is suppressed or refused by the plan. Fails
    closed: no role, an unknown role or scenario, a role outside its scenarios say no.
    """
    role = _role_or_refusal(bundle, context)
    if isinstance(role, Decision):
        return role
    where = f"scenario {context.scenario!r}" if context.scenario else "any scenario"
    why = f"role {role.id!r} may receive masked data for {where}"
    return Decision("allow", (why,), bundle.version)


def _role_or_refusal(bundle: PolicyBundle, context: UseContext) -> Role | Decision:
    """The role of the context, or the decision refusing it."""
    if context.role is None:
        return Decision("deny", ("no role given: denied (fail closed)",), bundle.version)
    role = bundle.role(context.role)
    if role is None:
        return Decision("deny", (f"unknown role {context.role!r}: denied",), bundle.version)
    if context.scenario is not None and context.scenario not in bundle.scenario_keys:
        return Decision("deny", (f"unknown scenario {context.scenario!r}: denied",), bundle.version)
    if role.scenarios and context.scenario not in role.scenarios:
        why = f"role {role.id!r} is not granted scenario {context.scenario!r}"
        return Decision("deny", (why,), bundle.version)
    return role


def _within_role(bundle: PolicyBundle, role: Role, result: LevelResult) -> Decision:
    if result.level > role.max_level:
        why = f"level {result.level} above role {role.id!r} maximum {role.max_level}"
        return Decision("deny", (why, result.trace), bundle.version, result)
    why = f"level {result.level} within role {role.id!r} maximum {role.max_level}"
    return Decision("allow", (why, result.trace), bundle.version, result)
