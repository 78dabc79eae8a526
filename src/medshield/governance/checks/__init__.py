"""The closed-loop checks (R32), one a file, in one tuple."""

from __future__ import annotations

from typing import Any

from medshield.governance.checks.base import Finding, LoopCheck, LoopContext
from medshield.governance.checks.catalogue import ConfidenceCheck, CoverageCheck
from medshield.governance.checks.probes import ProbeCheck
from medshield.governance.checks.replicas import ReplicaCheck
from medshield.governance.checks.risk_reviews import RiskReviewCheck
from medshield.governance.checks.tokens import TokenCheck
from medshield.governance.checks.training import TrainingCheck
from medshield.registry import Registry

BUILTIN_LOOP_CHECKS: tuple[type[Any], ...] = (
    CoverageCheck,
    TokenCheck,
    ConfidenceCheck,
    ReplicaCheck,
    ProbeCheck,
    RiskReviewCheck,
    TrainingCheck,
)


def loop_check_registry() -> Registry[Any]:
    return Registry("loop_checks", BUILTIN_LOOP_CHECKS)


__all__ = ["BUILTIN_LOOP_CHECKS", "Finding", "LoopCheck", "LoopContext", "loop_check_registry"]
