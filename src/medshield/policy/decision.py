"""Decisions: every yes or no of the system, with its reasons and the policy version."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from medshield.policy.bundle import PolicyBundle
from medshield.policy.calculus import LevelResult, effective_level
from medshield.policy.context import UseContext

Action = Literal["allow", "deny", "alert"]


@dataclass(frozen=True)
class Decision:
    action: Action
    reasons: tuple[str, ...]
    policy_version: str
    level: LevelResult | None = None

    @property
    def allowed(self) -> bool:
        return self.action != "deny"


def decide_access(
    bundle: PolicyBundle, element_codes: Iterable[str], context: UseContext
) -> Decision:
    """May ``context.role`` use data holding these elements in this context? Fails closed."""
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
    result = effective_level(bundle, element_codes, context)
    if result.level > role.max_level:
        why = f"level {result.level} above role {role.id!r} maximum {role.max_level}"
        return Decision("deny", (why, result.trace), bundle.version, result)
    why = f"level {result.level} within role {role.id!r} maximum {role.max_level}"
    return Decision("allow", (why, result.trace), bundle.version, result)
