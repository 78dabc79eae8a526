"""A plan as a recipe: operator names, parameters and the mask context, rebuilt where it runs.

Operators may hold state that does not travel (a keyed hash object); Spark ships the recipe to
its workers and each worker builds the same operators again from it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property

from medshield.mask.engine.frames import OperatorPlan, operator_spec
from medshield.mask.operators import build_operator
from medshield.mask.operators.base import MaskContext


@dataclass(frozen=True)
class PlanRecipe:
    rules: tuple[tuple[str, str | None, str], ...]  # (column, operator or None, params JSON)
    context: MaskContext

    @cached_property
    def plan(self) -> OperatorPlan:
        return {
            column: None
            if name is None
            else build_operator(name, json.loads(params), self.context, where=column)
            for column, name, params in self.rules
        }

    def __getstate__(self) -> dict[str, object]:
        return {"rules": self.rules, "context": self.context}  # never the built operators


def recipe_of(plan: OperatorPlan, context: MaskContext) -> PlanRecipe:
    """The recipe that builds ``plan`` again under ``context``."""
    rules: list[tuple[str, str | None, str]] = []
    for column, operator in plan.items():
        if operator is None:
            rules.append((column, None, "{}"))
            continue
        name, params = operator_spec(operator)
        rules.append((column, name, json.dumps(params, ensure_ascii=False)))
    return PlanRecipe(tuple(rules), context)
