"""Scheduled analysis of the ledger (R16): chain breaks, lagging replicas, denial bursts, storms."""

from medshield.monitor.checks import BUILTIN_CHECKS, Finding, Window, check_registry
from medshield.monitor.runner import CheckRun, parse_window, run_checks, run_every

__all__ = [
    "BUILTIN_CHECKS",
    "CheckRun",
    "Finding",
    "Window",
    "check_registry",
    "parse_window",
    "run_checks",
    "run_every",
]
