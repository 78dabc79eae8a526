"""``histogram``: counts in equal-width bins of a clamped column."""

from __future__ import annotations

from typing import ClassVar

import sqlalchemy as sa

from medshield.federated.kinds.base import Release, TemplateKind
from medshield.federated.local import LocalDatabase
from medshield.federated.noise import Noised, count_sensitivity, laplace
from medshield.policy.federated import TemplateDef


def binned_counts(template: TemplateDef, data: LocalDatabase) -> list[int]:
    """Rows per bin; the top edge belongs to the last bin."""
    assert template.column is not None
    table = data.table(template.table)
    index = table.bin_index(template.column, template.lower, template.upper, template.bins)
    col = table.column(template.column)
    query = (
        sa.select(index.label("b"), sa.func.count())
        .select_from(table.table)
        .where(col.is_not(None))
        .group_by(index)
    )
    counts = [0] * template.bins
    for b, n in table.rows(query):
        counts[min(int(b), template.bins - 1)] += int(n)
    return counts


def edges(template: TemplateDef) -> list[float]:
    width = (template.upper - template.lower) / template.bins
    return [template.lower + k * width for k in range(template.bins + 1)]


def noised_counts(template: TemplateDef, total: list[int], confidence: float) -> Noised:
    sensitivity = count_sensitivity(template.contributions)
    return laplace(total, sensitivity, template.epsilon, 1 - confidence, integer=True)


class Histogram(TemplateKind):
    name: ClassVar[str] = "histogram"

    def length(self, template: TemplateDef) -> int:
        return template.bins

    def measure(self, template: TemplateDef, data: LocalDatabase) -> list[int]:
        return binned_counts(template, data)

    def release(self, template: TemplateDef, total: list[int], confidence: float) -> Release:
        noised = noised_counts(template, total, confidence)
        e = edges(template)
        value = {f"[{e[k]:g}, {e[k + 1]:g})": max(0, round(v)) for k, v in enumerate(noised.values)}
        return Release(
            template=template.key,
            kind=self.name,
            value=value,
            epsilon=template.epsilon,
            error_bound=noised.bound,
            confidence=confidence,
        )
