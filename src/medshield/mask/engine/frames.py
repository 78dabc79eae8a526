"""One batch through a table's operators: the step every engine shares.

A plan names every column of the table: an operator, or ``None`` to keep the column as it is.
A column the plan does not name is an error (fail closed): nothing leaves unreviewed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

import polars as pl
from pydantic import BaseModel

from medshield.errors import MaskingError
from medshield.mask.operators import apply_operator, build_operator, operator_registry
from medshield.mask.operators.base import MaskContext, MaskOperator
from medshield.registry import check_params

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


Rule = tuple[str, Mapping[str, Any]] | None  # (operator name, params), None keeps the column
SPEC = "ms_spec"  # attribute holding the (name, params) an operator was built from


def plan_from_rules(rules: Mapping[str, Rule], context: MaskContext) -> OperatorPlan:
    """Column -> operator built from ``(name, params)``; each remembers what it was built from."""
    plan: dict[str, MaskOperator | None] = {}
    for column, rule in rules.items():
        if rule is None:
            plan[column] = None
            continue
        operator = build_operator(rule[0], dict(rule[1]), context, where=f"column {column}")
        model = check_params(operator_registry().get(rule[0]), dict(rule[1]), where=column)
        setattr(operator, SPEC, (rule[0], model.model_dump(mode="json")))  # defaults filled in
        plan[column] = operator
    return plan


def operator_spec(operator: MaskOperator) -> tuple[str, dict[str, Any]]:
    """The name and params ``operator`` was built from (read back when it was not tagged)."""
    spec = getattr(operator, SPEC, None)
    if spec is not None:
        return spec  # type: ignore[no-any-return]
    models = [v for v in vars(operator).values() if isinstance(v, BaseModel)]
    if models:
        return operator.name, models[0].model_dump(mode="json")
    simple = (str, int, float, bool, type(None))
    public = {k: v for k, v in vars(operator).items() if not k.startswith("_")}
    return operator.name, {k: v for k, v in public.items() if isinstance(v, simple)}


def describe_plan(plan: OperatorPlan) -> dict[str, str]:
    """Column -> ``operator{params}``; ``keep`` for columns kept as they are."""
    described: dict[str, str] = {}
    for column, operator in sorted(plan.items()):
        if operator is None:
            described[column] = "keep"
            continue
        name, params = operator_spec(operator)
        described[column] = name + json.dumps(params, sort_keys=True, ensure_ascii=False)
    return described


def plan_digest(plans: Mapping[str, OperatorPlan]) -> str:
    """A stable digest of every table's plan, so a resumed job runs the same plan."""
    canonical = {table: describe_plan(plan) for table, plan in sorted(plans.items())}
    blob = json.dumps(canonical, sort_keys=True, ensure_ascii=False).encode()
    return "sha256:" + hashlib.sha256(blob).hexdigest()
