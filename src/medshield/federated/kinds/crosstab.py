"""``crosstab``: counts per cell of one or two categorical columns, small cells suppressed."""

from __future__ import annotations

from itertools import product
from typing import ClassVar

import sqlalchemy as sa

from medshield.federated.kinds.base import Release, TemplateKind
from medshield.federated.kinds.histogram import noised_counts
from medshield.federated.local import LocalDatabase
from medshield.policy.federated import TemplateDef


def cells(template: TemplateDef) -> list[tuple[str, ...]]:
    return list(product(*(d.categories for d in template.dimensions)))


class CrossTab(TemplateKind):
    name: ClassVar[str] = "crosstab"

    def length(self, template: TemplateDef) -> int:
        return len(cells(template))

    def measure(self, template: TemplateDef, data: LocalDatabase) -> list[int]:
        table = data.table(template.table)
        dims = [table.column(d.column) for d in template.dimensions]
        query = sa.select(*dims, sa.func.count()).select_from(table.table).group_by(*dims)
        index = {cell: k for k, cell in enumerate(cells(template))}
        counts = [0] * len(index)
        for row in table.rows(query):
            k = index.get(tuple(str(v) for v in row[:-1]))
            if k is not None:  # values outside the declared categories are not reported
                counts[k] += int(row[-1])
        return counts

    def release(self, template: TemplateDef, total: list[int], confidence: float) -> Release:
        noised = noised_counts(template, total, confidence)
        value: dict[str, int | None] = {}
        suppressed = 0
        for cell, v in zip(cells(template), noised.values, strict=True):
            n = round(v)
            small = n < template.min_group  # decided on the noised count: no exact leak
            suppressed += small
            value["×".join(cell)] = None if small else n
        return Release(
            template=template.key,
            kind=self.name,
            value=value,
            epsilon=template.epsilon,
            error_bound=noised.bound,
            confidence=confidence,
            suppressed=suppressed,
        )
