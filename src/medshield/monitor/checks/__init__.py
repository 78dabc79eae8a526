"""Built-in ledger checks, one a file; others come through the ``medshield.ledger_checks`` group."""

from __future__ import annotations

from typing import Any

from medshield.monitor.checks.base import Finding, LedgerCheck, Window
from medshield.monitor.checks.chain import ChainCheck
from medshield.monitor.checks.denials import DenialBurstCheck
from medshield.monitor.checks.replicas import ReplicaLagCheck
from medshield.monitor.checks.storm import AlertStormCheck
from medshield.registry import Registry

BUILTIN_CHECKS: tuple[type[Any], ...] = (
    ChainCheck,
    ReplicaLagCheck,
    DenialBurstCheck,
    AlertStormCheck,
)


def check_registry() -> Registry[Any]:
    return Registry("ledger_checks", BUILTIN_CHECKS)


__all__ = ["BUILTIN_CHECKS", "Finding", "LedgerCheck", "Window", "check_registry"]
