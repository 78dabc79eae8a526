"""A submission that does not parse in the declared dialect: never allowed silently."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from medshield.audit.rules.base import RuleContext
from medshield.audit.sql.analysis import Analysis


class ParseErrorRule:
    name: ClassVar[str] = "parse_error"

    def check(self, analysis: Analysis, context: RuleContext) -> Iterator[str]:
        if analysis.parse_error is None:
            return
        where = f"does not parse as {analysis.dialect}: {analysis.parse_error}"
        if analysis.other_dialects:
            where += f" (dialect mismatch: parses as {', '.join(analysis.other_dialects)})"
        yield where
