"""``governance.yaml``: the organisation, admin actions by role, approval workflows, emergency
plans, risk signals and file sharing; and ``decide_admin``, the one decision on admin actions.

``decide_admin(bundle, actor, action)`` is the function every shell calls before an admin action
(the CLI, the gateway's admin API, the console): the actor's roles come from the policy's
``members``, the roles an action needs from ``admin_actions``; an actor or action the policy
does not name is refused (fail closed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from medshield.errors import PolicyReferenceError

if TYPE_CHECKING:
    from medshield.policy.bundle import PolicyBundle

_ID = r"^[a-z][a-z0-9_-]*$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


_KEY = r"^[a-z][a-z0-9_]*$"

# Every admin action of medshield itself. The policy gives the roles of each; one missing from the
# policy is allowed to nobody.
ADMIN_ACTIONS: tuple[str, ...] = (
    "risk.assess",  # set L and S of a risk by hand
    "risk.signals",  # run the signal rules that propose changes
    "risk.decide",  # confirm or reject a proposed change
    "approval.request",  # open an approval request
    "policy.propose",  # propose a new policy version
    "incident.open",
    "incident.update",  # timeline notes, tasks, notifications
    "incident.close",
    "incident.review",
    "drill.run",
    "checks.run",  # the closed-loop checks
    "training.record",
    "share.pack",
    "share.export",  # write a package to removable media
    "catalog.review",  # accept or override a low-confidence column of the catalogue
)


class Member(Strict):
    """One person or system of the organisation, by id (never by name), and its roles."""

    id: str = Field(pattern=_ID)
    roles: tuple[str, ...] = Field(min_length=1)
    institution: str | None = None
    title: str = ""


class WorkflowStep(Strict):
    name: str = Field(pattern=_KEY)
    roles: tuple[str, ...] = Field(min_length=1)  # any of them may approve this step
    approvals: int = Field(default=1, ge=1)  # distinct people needed (two-person rule: 2)


class Workflow(Strict):
    kind: str = Field(pattern=_KEY)
    zh: str
    steps: tuple[WorkflowStep, ...] = Field(min_length=1)
    requesters: tuple[str, ...] = ()  # roles that may request; empty: any member
    subject_fields: tuple[str, ...] = ()  # what a request must state, e.g. scope, purpose, until
    expires_hours: float = Field(default=72.0, gt=0)


class PlanGrade(Strict):
    grade: Literal["I", "II", "III", "IV"]
    zh: str
    criteria: str


class EmergencyPlan(Strict):
    """A plan for one incident class (GB/T 20986): its grades and the four parts (R8)."""

    incident_class: str = Field(pattern=_KEY)
    zh: str
    alerts: tuple[str, ...] = ()  # ledger action prefixes whose alerts open this class
    grades: tuple[PlanGrade, ...] = Field(min_length=1)
    coordination: tuple[str, ...] = Field(min_length=1)
    communication: tuple[str, ...] = Field(min_length=1)
    on_site_control: tuple[str, ...] = Field(min_length=1)
    technical_steps: tuple[str, ...] = Field(min_length=1)
    owner_role: str = "security_admin"


class SignalRule(Strict):
    """``threshold`` matching events in ``window_days`` propose raising a risk's L or S."""

    name: str = Field(pattern=_KEY)
    action_prefix: str
    outcomes: tuple[Literal["allow", "deny", "alert", "info"], ...] = ()
    detail: dict[str, str] = {}  # detail fields the event must have, e.g. {incident_class: leak}
    risk: str
    raises: Literal["likelihood", "severity"] = "likelihood"
    threshold: int = Field(default=1, ge=1)
    window_days: float = Field(default=30.0, gt=0)
    reason: str = ""


class RiskSettings(Strict):
    review_days: int = Field(default=180, ge=1)
    signals: tuple[SignalRule, ...] = ()


class ShareSettings(Strict):
    algorithm: Literal["aes-256-gcm", "sm4-gcm"] = "aes-256-gcm"
    max_days: int = Field(default=30, ge=1)
    removable_media_packages_only: bool = True


class CheckSettings(Strict):
    token_max_days: int = Field(default=90, ge=1)
    min_confidence: float = Field(default=0.8, ge=0, le=1)
    training_days: int = Field(default=365, ge=1)
    training_roles: tuple[str, ...] = ()


class GovernanceSection(Strict):
    members: tuple[Member, ...] = ()
    admin_actions: dict[str, tuple[str, ...]] = {}
    workflows: tuple[Workflow, ...] = ()
    plans: tuple[EmergencyPlan, ...] = ()
    risk: RiskSettings = RiskSettings()
    share: ShareSettings = ShareSettings()
    checks: CheckSettings = CheckSettings()

    def member(self, actor: str) -> Member | None:
        return next((m for m in self.members if m.id == actor), None)

    def workflow(self, kind: str) -> Workflow | None:
        return next((w for w in self.workflows if w.kind == kind), None)

    def plan(self, incident_class: str) -> EmergencyPlan | None:
        return next((p for p in self.plans if p.incident_class == incident_class), None)


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
