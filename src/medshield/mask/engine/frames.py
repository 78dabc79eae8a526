"""One batch through a table's operators: the step every engine shares.

A plan names every column of the table: an operator, or ``None`` to keep the column as it is.
A column the plan does not name is an error (fail closed): nothing leaves unreviewed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

import polars as pl
from pydantic import BaseModel

from medshield.errors import MaskingError
from medshield.mask.operators import apply_operator
from medshield.mask.operators.base import MaskOperator

OperatorPlan = Mapping[str, MaskOperator | None]


def mask_frame(frame: pl.DataFrame, plan: OperatorPlan, *, where: str = "") -> pl.DataFrame:
    """``frame`` with each column through its operator; same columns, same row count."""
    missing = [c for c in frame.columns if c not in plan]
    if missing:
        raise MaskingError(
            f"no masking rule for column(s) {', '.join(missing)}; name each (None keeps it)",
            where=where or None,
        )
    out: list[pl.Series] = []
    for name in frame.columns:
        column = frame.get_column(name)
        operator = plan[name]
        if operator is None:
            out.append(column)
            continue
        masked = apply_operator(operator, frame, name)
        if masked.len() != column.len():
            raise MaskingError(
                f"operator {operator.name!r} returned {masked.len()} values for {column.len()}",
                where=f"{where}.{name}" if where else name,
            )
        out.append(masked.alias(name))
    return pl.DataFrame(out)


def describe_plan(plan: OperatorPlan) -> dict[str, str]:
    """Column -> ``operator`` or ``operator{params}``; ``keep`` for columns kept as they are."""
    described: dict[str, str] = {}
    for column, operator in sorted(plan.items()):
        if operator is None:
            described[column] = "keep"
            continue
        params = [v for v in vars(operator).values() if isinstance(v, BaseModel)]
        shown = params[0].model_dump_json() if params else ""
        described[column] = f"{operator.name}{shown}"
    return described


def plan_digest(plans: Mapping[str, OperatorPlan]) -> str:
    """A stable digest of every table's plan, so a resumed job runs the same plan."""
    canonical = {table: describe_plan(plan) for table, plan in sorted(plans.items())}
    blob = json.dumps(canonical, sort_keys=True, ensure_ascii=False).encode()
    return "sha256:" + hashlib.sha256(blob).hexdigest()
