"""The SQL audit engine: a submission in, a verdict out.

Rules run once per fingerprint; the action of each finding comes from ``audit.yaml`` for the
submitter's scenario and role (cached per fingerprint and context). The verdict's action is the
strictest of its findings' actions (deny > alert > allow); a finding never yields a silent allow
unless the policy says ``allow`` for that rule in that context.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import Any

from medshield.audit.rules import AuditRule, RuleContext, rule_registry
from medshield.audit.sql.analysis import Analyser, Analysis, analyse
from medshield.audit.sql.catalogue import SqlCatalogue
from medshield.audit.sql.templates import LearnedTemplates
from medshield.audit.sql.tiers import Tier, tier_of
from medshield.errors import PolicyError, PolicyReferenceError, UnknownNameError
from medshield.policy.bundle import PolicyBundle
from medshield.policy.schema import AuditRuleSetting
from medshield.registry import check_params

_STRICTNESS = {"allow": 0, "alert": 1, "deny": 2}
FAIL_CLOSED_RULES = frozenset({"parse_error", "unresolved"})


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    action: str
    evidence: str

    def as_dict(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "action": self.action,
            "evidence": self.evidence,
        }


@dataclass(frozen=True)
class Verdict:
    action: str
    fingerprint: str
    template: str
    tier: Tier
    findings: tuple[Finding, ...]
    analysis: Analysis

    @property
    def allowed(self) -> bool:
        """Only a known yes is a yes: any action but allow or alert is a no (fail closed)."""
        return self.action in ("allow", "alert")

    def as_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "fingerprint": self.fingerprint,
            "tier": self.tier.as_dict(),
            "findings": [f.as_dict() for f in self.findings],
        }


class SqlAuditor:
    """Audits submissions against one policy bundle and one catalogue."""

    def __init__(
        self,
        bundle: PolicyBundle,
        catalogue: SqlCatalogue,
        *,
        dialect: str | None = None,
        templates: LearnedTemplates | None = None,
        cache_size: int = 4096,
    ) -> None:
        self.bundle = bundle
        self.settings = bundle.audit.sql
        self.analyser = Analyser(catalogue, dialect or self.settings.dialect, size=cache_size)
        known = frozenset(i.id for i in bundle.institutions)
        self.context = RuleContext(catalogue, self.settings, templates, institutions=known)
        self._contexts: dict[str | None, RuleContext] = {None: self.context}
        self.rules = _build_rules(bundle)
        self._value_rules = [r for r in self.rules if hasattr(r, "depends_on_values")]
        self._raw: OrderedDict[tuple[str, str | None], tuple[tuple[str, str], ...]] = OrderedDict()
        self._verdicts: OrderedDict[tuple[str, str | None, str | None, str | None], Verdict] = (
            OrderedDict()
        )
        self.cache_size = cache_size
        self._actions: dict[tuple[str, str | None, str | None], tuple[str, str]] = {}

    @property
    def dialect(self) -> str:
        return self.analyser.dialect

    def audit(
        self,
        sql: str,
        *,
        role: str | None = None,
        scenario: str | None = None,
        institution: str | None = None,
    ) -> Verdict:
        """The verdict on one submission by a caller of ``role`` and ``scenario`` who works at
        ``institution`` (when known: rows of other institutions are then checked)."""
        context = self._context(institution)
        analysis = self.analyser.analyse(sql)  # a new one has trees, read here only
        try:
            if institution is not None and any(
                r.depends_on_values(analysis, context)  # type: ignore[attr-defined]
                for r in self._value_rules
            ):  # its literals decide: analysed afresh, never shared by its fingerprint
                fresh = analyse(sql, self.analyser.catalogue, self.dialect, analysis.fingerprint)
                verdict = self._verdict(fresh, role, scenario, self._findings(fresh, context))
                fresh.discard_trees()
                return verdict
            key = (analysis.fingerprint.digest, role, scenario, institution)
            found = self._verdicts.get(key)
            if found is None:
                raw = self.raw_findings(analysis, context)
                found = self._verdicts[key] = self._verdict(analysis, role, scenario, raw)
                if len(self._verdicts) > self.cache_size:
                    self._verdicts.popitem(last=False)
            return found
        finally:
            analysis.discard_trees()

    def raw_findings(
        self, analysis: Analysis, context: RuleContext | None = None
    ) -> tuple[tuple[str, str], ...]:
        """``(rule, evidence)`` of every rule on this analysis, before the policy's actions."""
        context = context or self.context
        key = (analysis.fingerprint.digest, context.institution)
        found = self._raw.get(key)
        if found is None:
            parsed = self.analyser.parsed(analysis)
            found = self._raw[key] = self._findings(parsed, context)
            if parsed is not analysis:  # parsed again for the rules alone: freed now
                parsed.discard_trees()
            if len(self._raw) > self.cache_size:
                self._raw.popitem(last=False)
        return found

    def _findings(self, analysis: Analysis, context: RuleContext) -> tuple[tuple[str, str], ...]:
        return tuple(
            (rule.name, evidence)
            for rule in self.rules
            for evidence in rule.check(analysis, context)
        )

    def _context(self, institution: str | None) -> RuleContext:
        found = self._contexts.get(institution)
        if found is None:
            if institution not in self.context.institutions:
                known = ", ".join(sorted(self.context.institutions))
                raise UnknownNameError(
                    f"unknown institution {institution!r}; the policy knows: {known}",
                    where="institution",
                )
            found = self._contexts[institution] = replace(self.context, institution=institution)
        return found

    def _verdict(
        self,
        analysis: Analysis,
        role: str | None,
        scenario: str | None,
        raw: tuple[tuple[str, str], ...],
    ) -> Verdict:
        findings = []
        for rule, evidence in raw:
            action, severity = self._action(rule, role, scenario)
            findings.append(Finding(rule, severity, action, evidence))
        action = max((f.action for f in findings), key=_STRICTNESS.__getitem__, default="allow")
        tier = tier_of(analysis, self.context.catalogue, self.settings)
        fp = analysis.fingerprint
        return Verdict(action, fp.digest, fp.text, tier, tuple(findings), analysis.kept)

    def _action(self, rule: str, role: str | None, scenario: str | None) -> tuple[str, str]:
        """``(action, severity)`` the policy gives ``rule`` for ``role`` in ``scenario``."""
        key = (rule, role, scenario)
        found = self._actions.get(key)
        if found is None:
            setting = _setting_for(self.bundle, rule, role, scenario)
            if setting is None:
                found = (self.settings.unconfigured_rule, "medium")
            else:
                found = (setting.action, setting.severity)
            if len(self._actions) < self.cache_size:  # callers name roles: bounded all the same
                self._actions[key] = found
        return found


def _setting_for(
    bundle: PolicyBundle, rule: str, role: str | None, scenario: str | None
) -> AuditRuleSetting | None:
    for setting in bundle.audit.rules:
        if setting.rule != rule:
            continue
        if setting.scenarios and scenario not in setting.scenarios:
            continue
        if setting.roles and role not in setting.roles:
            continue
        return setting
    return None


def _build_rules(bundle: PolicyBundle) -> list[AuditRule]:
    registry = rule_registry()
    params: dict[str, dict[str, Any]] = {}
    for i, setting in enumerate(bundle.audit.rules):
        where = f"audit.yaml rules.{i}"
        registry.get(setting.rule)  # an unknown rule name is an error
        if setting.rule in FAIL_CLOSED_RULES and setting.action == "allow":
            raise PolicyError(f"rule {setting.rule!r} fails closed: deny or alert", where=where)
        unknown = [r for r in setting.roles if bundle.role(r) is None] + [
            sc for sc in setting.scenarios if sc not in bundle.scenario_keys
        ]
        if unknown:
            raise PolicyReferenceError(f"unknown role or scenario {unknown[0]!r}", where=where)
        params.setdefault(setting.rule, setting.params)
    rules: list[AuditRule] = []
    for cls in registry:
        if hasattr(cls, "Params"):
            checked = check_params(cls, params.get(cls.name, {}), where="audit.yaml")
            rules.append(cls(checked))  # type: ignore[call-arg]
        else:
            rules.append(cls())
    return rules
