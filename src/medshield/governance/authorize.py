"""Authorising medshield's own admin actions, and recording each one: the platform audits itself.

``authorize(ledger, bundle, actor, action)`` is the one entry the CLI, the gateway's admin API and
the console call before an admin action. The decision is ``policy.admin.decide_admin`` (the
actor's roles in the policy's organisation against the roles the action needs); the decision,
allowed or refused, is appended as an ``admin.<action>`` event, and a refusal raises
``NotAuthorisedError`` (MS941).
"""

from __future__ import annotations

from typing import Any

from medshield.errors import NotAuthorisedError
from medshield.ledger import Event, Ledger
from medshield.policy import PolicyBundle
from medshield.policy.admin import AdminDecision, decide_admin
from medshield.policy.governance import ADMIN_ACTIONS


def authorize(
    ledger: Ledger,
    bundle: PolicyBundle,
    actor: str,
    action: str,
    *,
    target: str = "",
    detail: dict[str, Any] | None = None,
) -> AdminDecision:
    """Decide ``action`` for ``actor``, record it, and raise NotAuthorisedError when refused."""
    decision = decide_admin(bundle, actor, action)
    known = action in ADMIN_ACTIONS
    ledger.append(
        Event(
            action=f"admin.{action}" if known else "admin.unknown",
            actor=actor,
            outcome="allow" if decision.allowed else "deny",
            reasons=decision.reasons,
            policy_version=bundle.version,
            detail={"action": action, "roles": list(decision.roles), "target": target,
                    **(detail or {})},
        )
    )  # fmt: skip
    if not decision.allowed:
        raise NotAuthorisedError(decision.reasons[0], where=f"{actor}: {action}")
    return decision
