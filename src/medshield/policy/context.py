"""The context of one use of data: form, lifecycle stage, scope, measured risk, regulations."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Form(StrEnum):
    RAW = "raw"
    MASKED = "masked"
    PSEUDONYMISED = "pseudonymised"
    AGGREGATED = "aggregated"


class Stage(StrEnum):
    COLLECT = "collect"
    TRANSMIT = "transmit"
    STORE = "store"
    PROCESS = "process"
    SHARE = "share"
    DESTROY = "destroy"


class Scope(StrEnum):
    INSTITUTION = "institution"
    ALLIANCE = "alliance"
    PUBLIC = "public"


class RiskBand(StrEnum):
    """Bands of R = L x S (REQUIREMENTS R1)."""

    MINOR = "minor"  # 1-3   轻微
    LOW = "low"  # 4-7   低度
    MODERATE = "moderate"  # 8-12  中度
    IMPORTANT = "important"  # 13-16 重要
    CRITICAL = "critical"  # 17-25 关键

    @classmethod
    def of_score(cls, score: int) -> RiskBand:
        if not 1 <= score <= 25:
            raise ValueError(f"risk score {score} outside 1..25")
        if score >= 17:
            return cls.CRITICAL
        if score >= 13:
            return cls.IMPORTANT
        if score >= 8:
            return cls.MODERATE
        if score >= 4:
            return cls.LOW
        return cls.MINOR


@dataclass(frozen=True)
class UseContext:
    """How data is being used. ``verified`` says the masked output passed verification."""

    form: Form = Form.RAW
    stage: Stage = Stage.STORE
    scope: Scope = Scope.INSTITUTION
    risk_band: RiskBand | None = None
    verified: bool = False
    role: str | None = None
    scenario: str | None = None
    regulations: frozenset[str] = field(default_factory=frozenset)
