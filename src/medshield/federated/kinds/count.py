"""``count``: rows of a table."""

from __future__ import annotations

from typing import ClassVar

import sqlalchemy as sa

from medshield.federated.kinds.base import Release, TemplateKind
from medshield.federated.local import LocalDatabase
from medshield.federated.noise import count_sensitivity, laplace
from medshield.policy.federated import TemplateDef


class Count(TemplateKind):
    name: ClassVar[str] = "count"

    def length(self, template: TemplateDef) -> int:
        return 1

    def measure(self, template: TemplateDef, data: LocalDatabase) -> list[int]:
        table = data.table(template.table)
        (row,) = table.rows(sa.select(sa.func.count()).select_from(table.table))
        return [int(row[0])]

    def release(self, template: TemplateDef, total: list[int], confidence: float) -> Release:
        sensitivity = count_sensitivity(template.contributions)
        noised = laplace(total, sensitivity, template.epsilon, 1 - confidence, integer=True)
        return Release(
            template=template.key,
            kind=self.name,
            value=max(0, round(noised.values[0])),
            epsilon=template.epsilon,
            error_bound=noised.bound,
            confidence=confidence,
        )
