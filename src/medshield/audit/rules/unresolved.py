"""Tables or columns the catalogue cannot resolve: the audit cannot say what is read."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from medshield.audit.rules.base import RuleContext
from medshield.audit.sql.analysis import Analysis


class UnresolvedRule:
    name: ClassVar[str] = "unresolved"

    def check(self, analysis: Analysis, context: RuleContext) -> Iterator[str]:
        for statement in analysis.statements:
            for problem in statement.resolution.problems:
                yield f"cannot resolve: {problem}"
