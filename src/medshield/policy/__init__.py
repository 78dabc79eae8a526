"""Policy decides: the bundle, the level calculus and decisions."""

from medshield.policy.bundle import PolicyBundle, default_bundle_path, load_bundle
from medshield.policy.calculus import LevelResult, base_level, column_level, effective_level
from medshield.policy.context import Form, RiskBand, Scope, Stage, UseContext
from medshield.policy.decision import Decision, decide_access, decide_column, decide_masking
from medshield.policy.grant import MaskingGrant, grant_masking

__all__ = [
    "Decision",
    "Form",
    "LevelResult",
    "MaskingGrant",
    "PolicyBundle",
    "RiskBand",
    "Scope",
    "Stage",
    "UseContext",
    "base_level",
    "column_level",
    "decide_access",
    "decide_column",
    "decide_masking",
    "default_bundle_path",
    "effective_level",
    "grant_masking",
    "load_bundle",
]
