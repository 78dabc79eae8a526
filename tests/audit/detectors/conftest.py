"""Detector fixtures: a context from the default policy, overridable per test."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest

from medshield.audit.detectors import DETECTORS, DetectorContext, Finding, LogAudit
from medshield.audit.sources import SOURCES, lines_from_text
from medshield.policy import load_bundle
from medshield.policy.audit_logs import LogAuditPolicy


@pytest.fixture
def ctx() -> DetectorContext:
    return DetectorContext.from_bundle(load_bundle())


def with_policy(ctx: DetectorContext, **sections: dict[str, Any]) -> DetectorContext:
    """``ctx`` with some ``logs:`` settings changed (validated as the bundle would)."""
    data = ctx.policy.model_dump()
    for name, values in sections.items():
        data[name] = {**data[name], **values}
    return DetectorContext.from_bundle(load_bundle(), LogAuditPolicy.model_validate(data))


def audit_text(ctx: DetectorContext, source: str, text: str | Iterable[str]) -> list[Finding]:
    audit = LogAudit(SOURCES.get(source)(), ctx, DETECTORS)
    found = [f for f in audit.run(lines_from_text(text)) if isinstance(f, Finding)]
    return found + audit.flush()
