"""Remembering masked values across batches for operators that map each value alone.

Most operators give a value the same output wherever it appears (a keyed pseudonym, a cover, a
cut address). Within one batch they already compute each distinct value once; across batches
the engine remembers what it computed, so a patient's ID number seen in many visit rows is
hashed once per job, not once per batch.
"""

from __future__ import annotations

from typing import Any, ClassVar, cast

import polars as pl

from medshield.mask.engine.frames import SPEC, OperatorPlan, operator_spec
from medshield.mask.operators.base import MaskOperator

# Operators whose output depends on the value alone (given their params and keys).
PER_VALUE = frozenset(
    {
        "pseudonym",
        "cover",
        "cut_address",
        "generalize",
        "dictionary",
        "id_to_birth",
        "id_to_age",
        "id_to_age_band",
        "fpe",
    }
)
MAX_REMEMBERED = 2_000_000
MIN_HITS = 0.05  # share of a second batch's values already seen, else memory is not worth it


class Remembering:
    """``operator`` with a memory of the values it has masked in earlier batches."""

    name: ClassVar[str]

    def __init__(self, operator: MaskOperator) -> None:
        self.inner = operator
        self.name = operator.name  # type: ignore[misc]
        setattr(self, SPEC, operator_spec(operator))
        self.memory: dict[Any, Any] = {}
        self.calls = 0
        self.off = False

    def apply(self, column: pl.Series) -> pl.Series:
        if self.off:
            return self.inner.apply(column)
        distinct = column.drop_nulls().unique()
        if distinct.len() == 0:
            return self.inner.apply(column)
        values = distinct.to_list()
        unseen = [v for v in values if v not in self.memory]
        self.calls += 1
        if self.calls == 2 and len(values) - len(unseen) < MIN_HITS * len(values):
            self.off = True  # values do not come back (one row a patient): stop remembering
            self.memory.clear()
            return self.inner.apply(column)
        if unseen:
            if len(self.memory) + len(unseen) > MAX_REMEMBERED:
                self.memory.clear()
                unseen = values
            masked = self.inner.apply(pl.Series(column.name, unseen, dtype=column.dtype))
            self.memory.update(zip(unseen, masked.to_list(), strict=True))
            dtype = masked.dtype
        else:
            dtype = self.inner.apply(column.head(0)).dtype
        outputs = pl.Series([self.memory[v] for v in values], dtype=dtype)
        return column.replace_strict(distinct, outputs, default=None, return_dtype=dtype)


def remembering(plan: OperatorPlan) -> OperatorPlan:
    """``plan`` with its per-value operators remembering across batches."""
    return {
        column: cast(MaskOperator, Remembering(op))
        if op is not None and op.name in PER_VALUE and not getattr(op, "extra_columns", ())
        else op
        for column, op in plan.items()
    }
