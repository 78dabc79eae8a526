"""The audit rules, one class a file; built-ins in ``BUILTIN_RULES``."""

from __future__ import annotations

from medshield.audit.rules.base import AuditRule, RuleContext
from medshield.audit.rules.full_scan import FullScanRule
from medshield.audit.rules.high_risk import HighRiskRule
from medshield.audit.rules.learned_templates import LearnedTemplatesRule
from medshield.audit.rules.missing_limits import MissingLimitsRule
from medshield.audit.rules.parse_error import ParseErrorRule
from medshield.audit.rules.privilege import PrivilegeRule
from medshield.audit.rules.sensitive_objects import SensitiveObjectsRule
from medshield.audit.rules.sql_injection import SqlInjectionRule
from medshield.audit.rules.unresolved import UnresolvedRule
from medshield.registry import Registry

BUILTIN_RULES: tuple[type[AuditRule], ...] = (
    ParseErrorRule,
    UnresolvedRule,
    SqlInjectionRule,
    PrivilegeRule,
    HighRiskRule,
    MissingLimitsRule,
    FullScanRule,
    SensitiveObjectsRule,
    LearnedTemplatesRule,
)


def rule_registry() -> Registry[AuditRule]:
    return Registry("audit_rules", BUILTIN_RULES)


__all__ = ["BUILTIN_RULES", "AuditRule", "RuleContext", "rule_registry"]
