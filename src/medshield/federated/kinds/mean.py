"""``mean``: a noised sum over a noised count, half of epsilon each."""

from __future__ import annotations

from typing import ClassVar

from medshield.federated.kinds.base import Release, TemplateKind, scale_of
from medshield.federated.kinds.total import count_and_sum
from medshield.federated.local import LocalDatabase
from medshield.federated.noise import count_sensitivity, laplace, sum_sensitivity
from medshield.policy.federated import TemplateDef


class Mean(TemplateKind):
    name: ClassVar[str] = "mean"

    def length(self, template: TemplateDef) -> int:
        return 2

    def measure(self, template: TemplateDef, data: LocalDatabase) -> list[int]:
        return count_and_sum(template, data)

    def release(self, template: TemplateDef, total: list[int], confidence: float) -> Release:
        beta = (1 - confidence) / 2  # each half fails with beta: the bound holds with confidence
        half = template.epsilon / 2
        count = laplace(
            total[:1], count_sensitivity(template.contributions), half, beta, integer=True
        )
        sensitivity = sum_sensitivity(template.lower, template.upper, template.contributions)
        summed = laplace([total[1] / scale_of(template)], sensitivity, half, beta, integer=False)
        n, s = count.values[0], summed.values[0]
        mean = min(max(s / n, template.lower), template.upper) if n >= 1 else None
        # |S/N - S'/N'| <= (tS + |S'/N'| tN) / N, and N >= N' - tN
        usable = mean is not None and n > count.bound
        bound = (summed.bound + abs(s / n) * count.bound) / (n - count.bound) if usable else None
        return Release(
            template=template.key,
            kind=self.name,
            value=None if mean is None else round(mean, template.decimals + 2),
            epsilon=template.epsilon,
            error_bound=bound,
            confidence=confidence,
        )
