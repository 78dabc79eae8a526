"""The policy bundle's schema: one pydantic model per YAML file of the bundle folder.

Every section is defined here, even those that later capabilities fill; a file that is absent
takes the section's defaults. Unknown keys are errors (``extra="forbid"``).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from medshield.elements.catalogue import ELEMENT_CODE, DataElement
from medshield.elements.levels import Level
from medshield.errors import UnknownNameError
from medshield.policy.apis import ApiAggregate, ApiField, ApiParam, GatewayAnomalies
from medshield.policy.audit_logs import LogAuditPolicy
from medshield.policy.audit_sql import AuditSqlSettings
from medshield.policy.context import Form, RiskBand, Scope, Stage
from medshield.policy.federated import FederatedSection
from medshield.policy.governance import GovernanceSection
from medshield.policy.networks import valid_cidrs
from medshield.policy.notify import NotifySection
from medshield.policy.probes import ProbesSection


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _level(value: object) -> Level:
    # A ValueError (not UnknownNameError) so pydantic reports it with its place in the file.
    try:
        return Level.parse(value)  # type: ignore[arg-type]
    except UnknownNameError as exc:
        raise ValueError(exc.message) from None


# --- bundle.yaml ---------------------------------------------------------------------------
class LedgerSettings(Strict):
    hash: Literal["sha256", "sm3"] = "sha256"
    signature: Literal["ed25519", "sm2"] = "ed25519"
    checkpoint_every: int = Field(default=1000, ge=1)
    checkpoint_seconds: float = Field(default=60.0, gt=0)


class PrivacySettings(Strict):
    k_anonymity: int = Field(default=5, ge=2)
    l_diversity: int = Field(default=2, ge=1)
    aggregate_min_group: int = Field(default=10, ge=1)
    max_reidentification_risk: float = Field(default=0.2, gt=0, le=1)


class Regulation(Strict):
    key: str
    name: str
    status: Literal["active", "repealed"] = "active"
    effective: str | None = None


class BundleMeta(Strict):
    name: str = "unnamed"
    description: str = ""
    ledger: LedgerSettings = LedgerSettings()
    privacy: PrivacySettings = PrivacySettings()
    regulations: tuple[Regulation, ...] = ()


# --- elements.yaml -------------------------------------------------------------------------
class ElementOverride(Strict):
    level: Level | None = None
    masking: str | None = None
    category: str | None = None
    reason: str = ""

    _lv = field_validator("level", mode="before")(lambda v: None if v is None else _level(v))


class ElementsSection(Strict):
    overrides: dict[str, ElementOverride] = {}
    extra: tuple[DataElement, ...] = ()

    @field_validator("overrides")
    @classmethod
    def _codes(cls, value: dict[str, ElementOverride]) -> dict[str, ElementOverride]:
        import re

        for code in value:
            if not re.match(ELEMENT_CODE, code):
                raise ValueError(f"{code!r} is not a data-element code like DE02.01.030.00")
        return value


# --- institutions.yaml ---------------------------------------------------------------------
class Location(Strict):
    province: str
    city: str
    district: str
    admin_code: str = Field(pattern=r"^\d{6}$")


class Institution(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str
    kind: Literal["hub", "member"]
    tier: Literal["university_hospital", "hospital", "community_clinic", "clinic"] = "hospital"
    hub: str | None = None  # the hub a member signed with
    cidrs: tuple[str, ...] = ()
    location: Location

    @field_validator("cidrs")
    @classmethod
    def _cidrs(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return valid_cidrs(value)


# --- roles.yaml ----------------------------------------------------------------------------
class Role(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    zh: str
    en: str
    layer: Literal[
        "committee",
        "office",
        "administrator",
        "supervisor",
        "clinician",
        "researcher",
        "patient",
        "service",
    ]
    max_level: Level = Level.NORMAL
    scenarios: tuple[str, ...] = ()  # empty: every scenario

    _lv = field_validator("max_level", mode="before")(_level)


# --- scenarios.yaml ------------------------------------------------------------------------
class ScenarioDef(Strict):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    zh: str
    en: str


# --- levels.yaml ---------------------------------------------------------------------------
class RuleCondition(Strict):
    """All given fields must match; an empty condition matches every use."""

    form: tuple[Form, ...] = ()
    stage: tuple[Stage, ...] = ()
    scope: tuple[Scope, ...] = ()
    risk_band: tuple[RiskBand, ...] = ()
    regulation: str | None = None
    elements: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()


class LevelRule(Strict):
    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    when: RuleCondition = RuleCondition()
    shift: int = Field(default=0, ge=-4, le=4)
    floor: Level | None = None
    ceiling: Level | None = None
    requires_verified: bool = False
    reason: str = ""

    _fl = field_validator("floor", "ceiling", mode="before")(
        lambda v: None if v is None else _level(v)
    )

    @model_validator(mode="after")
    def _masking_never_raises(self) -> LevelRule:
        # These checks make "masked data is never above raw data in the same context" hold for
        # every valid policy (the calculus keeps unverified output at the raw level).
        forms = set(self.when.form) or set(Form)
        lowers = self.shift < 0 or (self.ceiling is not None and self.ceiling < Level.CONTROLLED)
        if Form.RAW not in forms and (self.shift > 0 or self.floor is not None):
            raise ValueError(
                f"rule {self.name!r} raises the level of non-raw data; a rule on masked, "
                "pseudonymised or aggregated forms may only lower it"
            )
        if lowers and Form.RAW in forms and forms != set(Form):
            raise ValueError(
                f"rule {self.name!r} lowers raw data but not every other form; a lowering rule "
                "that applies to raw data must apply to all forms (leave form empty)"
            )
        if self.shift == 0 and self.floor is None and self.ceiling is None:
            raise ValueError(f"rule {self.name!r} does nothing: give shift, floor or ceiling")
        return self


class LevelsSection(Strict):
    rules: tuple[LevelRule, ...] = ()


# --- masking.yaml --------------------------------------------------------------------------
class MaskingRule(Strict):
    name: str
    elements: tuple[str, ...] = ()
    min_level: Level | None = None
    roles: tuple[str, ...] = ()
    scenarios: tuple[str, ...] = ()
    operator: str
    params: dict[str, Any] = {}

    _lv = field_validator("min_level", mode="before")(lambda v: None if v is None else _level(v))


class MaskingSection(Strict):
    dictionary_batch: int | None = None
    rules: tuple[MaskingRule, ...] = ()
    default_operator: str = "suppress"
    above_role: Literal["suppress", "refuse"] = "suppress"  # a column graded above the role
    small_classes: Literal["suppress", "refuse"] = "suppress"  # rows of classes below k


# --- audit.yaml ----------------------------------------------------------------------------
class AuditRuleSetting(Strict):
    rule: str
    action: Literal["allow", "deny", "alert"] = "alert"
    severity: Literal["info", "low", "medium", "high", "critical"] = "medium"
    scenarios: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    params: dict[str, Any] = {}


class TimeLimitTier(Strict):
    min_indexes: int = Field(ge=0)
    seconds: float = Field(gt=0)


class AuditSection(Strict):
    rules: tuple[AuditRuleSetting, ...] = ()
    sensitive_tables: tuple[str, ...] = ()
    time_limits: tuple[TimeLimitTier, ...] = ()
    sql: AuditSqlSettings = AuditSqlSettings()
    logs: LogAuditPolicy = LogAuditPolicy()
    gateway: GatewayAnomalies = GatewayAnomalies()  # the gateway's anomaly alerts


# --- apis.yaml -----------------------------------------------------------------------------
class ApiDef(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_.-]*$")
    path: str = Field(pattern=r"^/")
    method: Literal["GET", "POST", "PUT", "DELETE"] = "GET"
    zh: str = ""
    elements: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    scenarios: tuple[str, ...] = ()
    one_patient_per_call: bool = False
    requires_consent: bool = False
    rate_per_minute: int = Field(default=600, ge=1)
    kind: Literal["query", "proxy"] = "query"  # the gateway's models live in policy/apis.py
    source: str | None = None  # query-backed: a registered source (an institution id)
    query: str | None = None
    upstream: str | None = None  # proxy: the upstream URL
    params: tuple[ApiParam, ...] = ()
    fields: tuple[ApiField, ...] = ()
    patient_column: str | None = None  # the column naming the patient of each record
    data_class: str = ""  # what patient consent is asked for (处方, 手术, ...)
    scopes: tuple[str, ...] = ()
    aggregate: ApiAggregate | None = None
    exposed: bool = True  # False: used by the gateway itself (a patient's contact number)
    patient_view: bool = False  # offered to patients signed in by SMS (R34)


# --- retention.yaml ------------------------------------------------------------------------
class RetentionRule(Strict):
    name: str
    elements: tuple[str, ...] = ()
    min_level: Level | None = None
    days: int = Field(ge=0)
    method: Literal["delete", "crypto_shred"] = "delete"

    _lv = field_validator("min_level", mode="before")(lambda v: None if v is None else _level(v))


# --- columns.yaml --------------------------------------------------------------------------
class ColumnGrade(Strict):
    """The grade of one column of a source database (R33: every field has a level and roles)."""

    source: str = Field(min_length=1)
    table: str = Field(min_length=1)
    column: str = Field(min_length=1)
    elements: tuple[str, ...] = ()
    level: Level | None = None  # pinned; otherwise the level calculus decides from the elements
    roles: tuple[str, ...] | None = None  # roles allowed; None: as the role's own limits say
    reason: str = ""

    _lv = field_validator("level", mode="before")(lambda v: None if v is None else _level(v))

    @model_validator(mode="after")
    def _graded(self) -> ColumnGrade:
        if not self.elements and self.level is None:
            raise ValueError("give the column's elements, a pinned level, or both")
        return self

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.source, self.table, self.column)


SECTIONS: dict[str, tuple[str, type[BaseModel], bool]] = {
    # file name: (attribute, model, the file holds a list under the attribute's key)
    "bundle.yaml": ("meta", BundleMeta, False),
    "elements.yaml": ("elements", ElementsSection, False),
    "institutions.yaml": ("institutions", Institution, True),
    "roles.yaml": ("roles", Role, True),
    "scenarios.yaml": ("scenarios", ScenarioDef, True),
    "levels.yaml": ("levels", LevelsSection, False),
    "masking.yaml": ("masking", MaskingSection, False),
    "audit.yaml": ("audit", AuditSection, False),
    "apis.yaml": ("apis", ApiDef, True),
    "retention.yaml": ("retention", RetentionRule, True),
    "columns.yaml": ("columns", ColumnGrade, True),
    "federated.yaml": ("federated", FederatedSection, False),
    "governance.yaml": ("governance", GovernanceSection, False),
    "notify.yaml": ("notify", NotifySection, False),
    "probes.yaml": ("probes", ProbesSection, False),
}

BULK_FILES = frozenset({"columns.yaml"})  # may be large: loaded without per-node positions
