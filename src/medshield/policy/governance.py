"""``governance.yaml``: the organisation, admin actions by role, approval workflows, emergency
plans, risk signals and file sharing. The decision on admin actions is ``policy.admin``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

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
    "alert.list",  # the open alerts, through the admin API
    "alert.ack",  # take charge of an alert (escalation stops)
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


class AssetOwner(Strict):
    """Who owns a source's tables (R37): the institution, and the member who stewards them."""

    source: str  # the source's key: its database name (``h1`` for ``.../h1.sqlite``)
    table: str = "*"  # one table, or every table of the source
    owner: str | None = None  # institution id; the source's institution when unset
    steward: str | None = None  # member id of the organisation


class AssetSettings(Strict):
    owners: tuple[AssetOwner, ...] = ()
    max_null_rate: float = Field(default=0.2, ge=0, le=1)
    freshness_days: int = Field(default=30, ge=1)
    usage_days: int = Field(default=90, ge=1)


class GovernanceSection(Strict):
    members: tuple[Member, ...] = ()
    admin_actions: dict[str, tuple[str, ...]] = {}
    workflows: tuple[Workflow, ...] = ()
    plans: tuple[EmergencyPlan, ...] = ()
    risk: RiskSettings = RiskSettings()
    share: ShareSettings = ShareSettings()
    checks: CheckSettings = CheckSettings()
    assets: AssetSettings = AssetSettings()

    def member(self, actor: str) -> Member | None:
        return next((m for m in self.members if m.id == actor), None)

    def workflow(self, kind: str) -> Workflow | None:
        return next((w for w in self.workflows if w.kind == kind), None)

    def plan(self, incident_class: str) -> EmergencyPlan | None:
        return next((p for p in self.plans if p.incident_class == incident_class), None)
