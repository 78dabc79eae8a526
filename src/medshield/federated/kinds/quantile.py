"""``quantile``: quantiles read off a noised fine histogram (post-processing spends nothing)."""

from __future__ import annotations

from typing import ClassVar

from medshield.federated.kinds.base import Release
from medshield.federated.kinds.histogram import Histogram, edges, noised_counts
from medshield.policy.federated import TemplateDef


def quantile_of(counts: list[float], bin_edges: list[float], q: float) -> float:
    """The q-quantile of binned counts, interpolated linearly inside its bin."""
    total = sum(counts)
    if total <= 0:
        return bin_edges[0]
    goal, seen = q * total, 0.0
    for k, n in enumerate(counts):
        if n > 0 and seen + n >= goal:
            return bin_edges[k] + (goal - seen) / n * (bin_edges[k + 1] - bin_edges[k])
        seen += n
    return bin_edges[-1]


class Quantile(Histogram):
    """Measured as a histogram (the same bins); released as quantiles read from the noised bins."""

    name: ClassVar[str] = "quantile"

    def release(self, template: TemplateDef, total: list[int], confidence: float) -> Release:
        noised = noised_counts(template, total, confidence)
        counts = [max(0.0, v) for v in noised.values]
        e = edges(template)
        value = {
            f"p{round(q * 100):g}": round(quantile_of(counts, e, q), 2) for q in template.quantiles
        }
        return Release(
            template=template.key,
            kind=self.name,
            value=value,
            epsilon=template.epsilon,
            error_bound=None,  # a rank error, not a value error: see docs/federated.md
            confidence=confidence,
        )
