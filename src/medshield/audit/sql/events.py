"""Ledger events of the SQL audit: the statement by digest, fingerprint and findings in clear."""

from __future__ import annotations

import hashlib
from typing import Any

from medshield.audit.sql.engine import Verdict
from medshield.ledger.events import DataObject, Event

OUTCOME = {"allow": "allow", "alert": "alert", "deny": "deny"}


def statement_digest(sql: str) -> str:
    return "sha256:" + hashlib.sha256(sql.encode("utf-8")).hexdigest()


def verdict_event(
    verdict: Verdict,
    sql: str,
    *,
    actor: str,
    policy_version: str,
    action: str = "audit.sql.statement",
    source: str | None = None,
    role: str | None = None,
    scenario: str | None = None,
    institution: str | None = None,
    extra: dict[str, Any] | None = None,
) -> Event:
    """One statement's verdict; ``sql`` itself is kept only as its digest."""
    tables = sorted({t for s in verdict.analysis.statements for t in s.resolution.tables})
    detail: dict[str, Any] = {
        "fingerprint": verdict.fingerprint,
        "template": verdict.template,
        "dialect": verdict.analysis.dialect,
        "tier": verdict.tier.as_dict(),
        "findings": [f.as_dict() for f in verdict.findings],
        "role": role,
        "scenario": scenario,
        **({"institution": institution} if institution is not None else {}),
        "tables": tables,
        **(extra or {}),
    }
    return Event(
        action=action,
        actor=actor,
        outcome=OUTCOME[verdict.action],  # type: ignore[arg-type]
        object=DataObject(source=source, table=tables[0] if len(tables) == 1 else None),
        payload_digest=statement_digest(sql),
        policy_version=policy_version,
        reasons=tuple(f"{f.rule}: {f.evidence}"[:300] for f in verdict.findings),
        detail=detail,
    )
