"""Retention rules of the policy (``retention.yaml``): how long data is kept, how it is destroyed."""

from __future__ import annotations

from medshield.errors import UnknownNameError
from medshield.policy import PolicyBundle
from medshield.policy.schema import RetentionRule


def retention_rule(bundle: PolicyBundle, name: str) -> RetentionRule:
    """The retention rule called ``name``."""
    for rule in bundle.retention:
        if rule.name == name:
            return rule
    known = ", ".join(r.name for r in bundle.retention) or "none"
    raise UnknownNameError(f"unknown retention rule {name!r}; known: {known}")
