"""The risk register, read from the ledger: Table 1, then every ``risk.assessed`` event in order.

The register has no table of its own: each assessment is a ledger event, so the register, its
history and the heat map are always what the ledger says.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from medshield.errors import RiskRegisterError
from medshield.ledger import Event, Ledger, LedgerRecord
from medshield.risk.scoring import Band, band_of, score
from medshield.risk.table1 import TABLE_1

ASSESSED = "risk.assessed"
# The qualitative side of an assessment (R2): what it weighed, each in a word or a sentence.
FACTORS = ("stage", "users", "business", "sensitivity", "storage", "threats", "controls")
BASELINE_ACTOR = "paper-table-1"


@dataclass(frozen=True)
class Risk:
    """One risk as last assessed."""

    id: str
    point: str
    description: str
    likelihood: int
    severity: int
    assessed_by: str = BASELINE_ACTOR
    assessed_at: datetime | None = None
    reason: str = "表1 初始评估"
    seq: int | None = None  # the ledger record of the last assessment
    factors: dict[str, str] = field(default_factory=dict)  # FACTORS weighed, in words

    @property
    def score(self) -> int:
        return score(self.likelihood, self.severity)

    @property
    def band(self) -> Band:
        return band_of(self.score)

    def as_row(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "point": self.point,
            "likelihood": self.likelihood,
            "severity": self.severity,
            "score": self.score,
            "band": self.band.value,
            "band_zh": self.band.zh,
            "assessed_by": self.assessed_by,
            "assessed_at": self.assessed_at.isoformat() if self.assessed_at else "",
            "reason": self.reason,
            "factors": dict(self.factors),
            "description": self.description,
        }


def default_register() -> dict[str, Risk]:
    return {p.id: Risk(p.id, p.point, p.description, p.likelihood, p.severity) for p in TABLE_1}


def _apply(risks: dict[str, Risk], record: LedgerRecord) -> Risk:
    d = record.event.detail
    rid = str(d["risk"])
    base = risks.get(rid) or Risk(
        rid, str(d.get("point", rid)), str(d.get("description", "")), 1, 1
    )
    return replace(
        base,
        likelihood=int(d["likelihood"]),
        severity=int(d["severity"]),
        assessed_by=record.event.actor,
        assessed_at=record.at,
        reason=str(d.get("reason", "")),
        seq=record.seq,
        factors={str(k): str(v) for k, v in dict(d.get("factors") or {}).items()},
    )


def read_register(ledger: Ledger) -> dict[str, Risk]:
    """Every risk as its last assessment in the ledger left it (Table 1 where none)."""
    risks = default_register()
    for record in ledger.records(action_prefix=ASSESSED):
        risk = _apply(risks, record)
        risks[risk.id] = risk
    return risks


def history(ledger: Ledger, risk_id: str) -> list[Risk]:
    """Every assessment of one risk, the Table 1 baseline first."""
    risks = default_register()
    if risk_id not in risks:
        raise RiskRegisterError(f"unknown risk {risk_id!r}", where=risk_id)
    found = [risks[risk_id]]
    for record in ledger.records(action_prefix=ASSESSED):
        if record.event.detail.get("risk") == risk_id:
            found.append(_apply({risk_id: found[-1]}, record))
    return found


def assess(
    ledger: Ledger,
    actor: str,
    risk_id: str,
    likelihood: int,
    severity: int,
    reason: str,
    *,
    proposal: int | None = None,
    policy_version: str | None = None,
    factors: Mapping[str, str] | None = None,
) -> Risk:
    """Record a new assessment of a known risk; the register changes through this only.

    ``factors`` is the qualitative side (R2): lifecycle stage, users and use, business plans,
    sensitivity, storage and processing, threats, how well controls work (``FACTORS``)."""
    current = read_register(ledger)
    if risk_id not in current:
        raise RiskRegisterError(f"unknown risk {risk_id!r}", where=risk_id)
    if not reason.strip():
        raise RiskRegisterError("an assessment needs a reason", where=risk_id)
    unknown = sorted(set(factors or {}) - set(FACTORS))
    if unknown:
        raise RiskRegisterError(f"unknown factor {unknown[0]!r}; factors: {', '.join(FACTORS)}")
    new_score = score(likelihood, severity)
    before = current[risk_id]
    detail: dict[str, Any] = {
        "risk": risk_id,
        "likelihood": likelihood,
        "severity": severity,
        "score": new_score,
        "band": band_of(new_score).value,
        "previous": [before.likelihood, before.severity],
        "reason": reason,
    }
    if proposal is not None:
        detail["proposal"] = proposal
    if factors:
        detail["factors"] = dict(factors)
    ledger.append(Event(action=ASSESSED, actor=actor, detail=detail, policy_version=policy_version))
    return read_register(ledger)[risk_id]
