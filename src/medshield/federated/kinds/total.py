"""``sum``: the sum of a column clamped to the template's bounds."""

from __future__ import annotations

from typing import ClassVar

import sqlalchemy as sa

from medshield.federated.kinds.base import Release, TemplateKind, scale_of
from medshield.federated.local import LocalDatabase
from medshield.federated.noise import laplace, sum_sensitivity
from medshield.policy.federated import TemplateDef


def count_and_sum(template: TemplateDef, data: LocalDatabase) -> list[int]:
    """[non-null values, their clamped sum in fixed point] of the template's column."""
    assert template.column is not None  # the policy model requires one
    table = data.table(template.table)
    col = table.column(template.column)
    fixed = sa.func.round(
        table.clamped(template.column, template.lower, template.upper) * scale_of(template)
    )
    query = sa.select(sa.func.count(col), sa.func.sum(fixed)).select_from(table.table)
    (row,) = table.rows(query)
    return [int(row[0]), int(row[1] or 0)]


class Sum(TemplateKind):
    name: ClassVar[str] = "sum"

    def length(self, template: TemplateDef) -> int:
        return 1

    def measure(self, template: TemplateDef, data: LocalDatabase) -> list[int]:
        return count_and_sum(template, data)[1:]

    def release(self, template: TemplateDef, total: list[int], confidence: float) -> Release:
        sensitivity = sum_sensitivity(template.lower, template.upper, template.contributions)
        value = total[0] / scale_of(template)
        noised = laplace([value], sensitivity, template.epsilon, 1 - confidence, integer=False)
        return Release(
            template=template.key,
            kind=self.name,
            value=round(noised.values[0], template.decimals),
            epsilon=template.epsilon,
            error_bound=noised.bound,
            confidence=confidence,
        )
