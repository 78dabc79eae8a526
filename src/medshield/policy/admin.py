"""``decide_admin``: the one decision on medshield's own admin actions, and the bundle check of
``governance.yaml``.

``decide_admin(bundle, actor, action)`` is the function every shell calls before an admin action
(the CLI, the gateway's admin API, the console): the actor's roles come from the policy's
``members``, the roles an action needs from ``admin_actions``; an actor or action the policy
does not name is refused (fail closed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from medshield.errors import PolicyReferenceError
from medshield.policy.governance import ADMIN_ACTIONS

if TYPE_CHECKING:
    from medshield.policy.bundle import PolicyBundle


@dataclass(frozen=True)
class AdminDecision:
    """Whether ``actor`` may do ``action``, with the reasons and the policy version."""

    allowed: bool
    actor: str
    action: str
    roles: tuple[str, ...]
    reasons: tuple[str, ...]
    policy_version: str


def decide_admin(bundle: PolicyBundle, actor: str, action: str) -> AdminDecision:
    """The one decision on medshield's own admin actions (fail closed)."""
    gov = bundle.governance
    member = gov.member(actor)
    roles = member.roles if member else ()
    allowed_roles = gov.admin_actions.get(action, ())
    granted = tuple(r for r in roles if r in allowed_roles)
    if action not in ADMIN_ACTIONS:
        reasons = (f"unknown admin action {action!r}",)
    elif member is None:
        reasons = (f"{actor!r} is not a member of the organisation",)
    elif not granted:
        needed = ", ".join(allowed_roles) or "no role"
        reasons = (f"roles {', '.join(roles)} may not {action}; it needs {needed}",)
    else:
        reasons = (f"role {granted[0]} may {action}",)
    return AdminDecision(
        allowed=bool(granted) and action in ADMIN_ACTIONS,
        actor=actor,
        action=action,
        roles=roles,
        reasons=reasons,
        policy_version=bundle.version,
    )


def check_governance(bundle: PolicyBundle) -> None:
    """Every role, action and workflow the section names must exist (PolicyReferenceError)."""
    gov = bundle.governance
    roles = {r.id for r in bundle.roles}
    doc = bundle.sources.get("governance")

    def where(*loc: str | int) -> str:
        return doc.where(loc) if doc is not None else str(bundle.root)

    def known(names: tuple[str, ...], *loc: str | int) -> None:
        for j, name in enumerate(names):
            if name not in roles:
                raise PolicyReferenceError(f"unknown role {name!r}", where=where(*loc, j))

    seen: set[str] = set()
    for i, m in enumerate(gov.members):
        if m.id in seen:
            raise PolicyReferenceError(f"duplicated member {m.id!r}", where=where("members", i))
        seen.add(m.id)
        known(m.roles, "members", i, "roles")
    for action, needed in gov.admin_actions.items():
        if action not in ADMIN_ACTIONS:
            raise PolicyReferenceError(
                f"unknown admin action {action!r}", where=where("admin_actions", action)
            )
        known(needed, "admin_actions", action)
    for i, w in enumerate(gov.workflows):
        known(w.requesters, "workflows", i, "requesters")
        for j, step in enumerate(w.steps):
            known(step.roles, "workflows", i, "steps", j, "roles")
    for i, p in enumerate(gov.plans):
        known((p.owner_role,), "plans", i, "owner_role")
    known(gov.checks.training_roles, "checks", "training_roles")
