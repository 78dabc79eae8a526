"""Column evidence: how much of a column each detector matched."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from medshield.detect.base import Finding


@dataclass(frozen=True)
class ColumnEvidence:
    """What one detector saw in one column, for one data element."""

    detector: str
    element: str | None
    hits: int  # values with at least one finding
    hit_rate: float  # hits / non-null values
    masked_rate: float  # of the hits, the fraction whose findings are all masked forms
    confidence: float  # mean confidence of the findings
    evidence: str  # one redacted example hint


def summarise(findings: Sequence[Finding], n_values: int) -> list[ColumnEvidence]:
    """One row per (detector, element), strongest first.

    ``n_values`` is the number of non-null values scanned (the denominator of ``hit_rate``).
    """
    groups: dict[tuple[str, str | None], list[Finding]] = defaultdict(list)
    for f in findings:
        groups[(f.detector, f.element)].append(f)
    rows: list[ColumnEvidence] = []
    for (detector, element), group in groups.items():
        per_value: dict[int, bool] = {}
        for f in group:
            per_value[f.index] = per_value.get(f.index, True) and f.masked
        hits = len(per_value)
        rows.append(
            ColumnEvidence(
                detector=detector,
                element=element,
                hits=hits,
                hit_rate=round(hits / n_values, 4) if n_values else 0.0,
                masked_rate=round(sum(per_value.values()) / hits, 4),
                confidence=round(sum(f.confidence for f in group) / len(group), 4),
                evidence=max(group, key=lambda f: f.confidence).evidence,
            )
        )
    rows.sort(key=lambda r: (-r.hit_rate * r.confidence, r.detector))
    return rows
