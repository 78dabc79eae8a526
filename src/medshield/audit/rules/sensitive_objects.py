"""Reads or writes of columns whose catalogued level or element the policy names sensitive."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, field_validator

from medshield.audit.rules.base import RuleContext
from medshield.audit.sql.analysis import Analysis
from medshield.elements.levels import Level


class SensitiveObjectsRule:
    name: ClassVar[str] = "sensitive_objects"

    class Params(BaseModel):
        model_config = ConfigDict(extra="forbid")
        min_level: Level = Level.IMPORTANT
        elements: tuple[str, ...] = ()  # element codes (or prefixes) always reported
        tables: tuple[str, ...] = ()  # tables always reported

        _lv = field_validator("min_level", mode="before")(lambda v: Level.parse(v))

    def __init__(self, params: Params | None = None) -> None:
        self.params = params or self.Params()

    def check(self, analysis: Analysis, context: RuleContext) -> Iterator[str]:
        p = self.params
        for statement in analysis.statements:
            r = statement.resolution
            for table in sorted(r.tables & {t.lower() for t in p.tables}):
                yield f"touches sensitive table {table}"
            for verb, refs in (("reads", r.reads), ("writes", r.writes)):
                hits = []
                for table, column in sorted(refs):
                    facts = context.catalogue.table(table)
                    col = facts.columns.get(column) if facts else None
                    if col is None:
                        continue
                    named = col.element is not None and col.element.startswith(p.elements or "\0")
                    if named or (col.level is not None and col.level >= p.min_level):
                        level = col.level.en if col.level else "-"
                        hits.append(f"{table}.{column} ({col.element}, {level})")
                if hits:
                    yield f"{verb} " + ", ".join(hits)
