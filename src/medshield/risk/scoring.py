"""Scoring a risk: R = L x S, and the paper's five bands (Table 1, note)."""

from __future__ import annotations

from enum import StrEnum

from medshield.errors import RiskRegisterError


class Band(StrEnum):
    """The band of a score R = L x S: 17-25, 13-16, 8-12, 4-7, 1-3."""

    CRITICAL = "critical"
    IMPORTANT = "important"
    MODERATE = "moderate"
    LOW = "low"
    MINOR = "minor"

    @property
    def zh(self) -> str:
        return _ZH[self]

    @property
    def floor(self) -> int:
        """The lowest score of the band."""
        return _FLOORS[self]


_ZH = {
    Band.CRITICAL: "关键风险",
    Band.IMPORTANT: "重要风险",
    Band.MODERATE: "中度风险",
    Band.LOW: "低度风险",
    Band.MINOR: "轻微风险",
}
_FLOORS = {Band.CRITICAL: 17, Band.IMPORTANT: 13, Band.MODERATE: 8, Band.LOW: 4, Band.MINOR: 1}


def check_factor(value: int, name: str) -> int:
    """A likelihood or severity: an integer 1-5 (RiskRegisterError otherwise)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise RiskRegisterError(f"{name} must be an integer 1-5, not {value!r}", where=name)
    return value


def score(likelihood: int, severity: int) -> int:
    """R = L x S, each factor 1-5."""
    return check_factor(likelihood, "likelihood") * check_factor(severity, "severity")


def band_of(risk_score: int) -> Band:
    """The band of a score 1-25."""
    if isinstance(risk_score, bool) or not isinstance(risk_score, int):
        raise RiskRegisterError(f"a score is an integer 1-25, not {risk_score!r}", where="score")
    if not 1 <= risk_score <= 25:
        raise RiskRegisterError(f"a score is 1-25, not {risk_score}", where="score")
    return next(band for band in Band if risk_score >= band.floor)
