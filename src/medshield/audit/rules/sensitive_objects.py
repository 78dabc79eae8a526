"""Reads or writes of columns whose catalogued level or element the policy names sensitive, and
reads of rows that belong to institutions other than the caller's (``other_institutions``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, field_validator

from medshield.audit.rules.base import RuleContext
from medshield.audit.sql.analysis import Analysis, StatementFacts
from medshield.audit.sql.institutions import restricted_to, schema_institution
from medshield.elements.levels import Level


class OtherInstitutions(BaseModel):
    """Which reads count as reading another institution's rows (checked when the caller's
    institution is known)."""

    model_config = ConfigDict(extra="forbid")
    elements: tuple[
        str, ...
    ] = ()  # element codes (or prefixes) whose rows belong to one institution
    column: str | None = None  # the column naming a row's institution in consolidated tables
    schemas: tuple[str, ...] = ("ms_his_{institution}",)  # databases of each institution's HIS


class SensitiveObjectsRule:
    name: ClassVar[str] = "sensitive_objects"

    class Params(BaseModel):
        model_config = ConfigDict(extra="forbid")
        min_level: Level = Level.IMPORTANT
        elements: tuple[str, ...] = ()  # element codes (or prefixes) always reported
        tables: tuple[str, ...] = ()  # tables always reported
        other_institutions: OtherInstitutions = OtherInstitutions()

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
            if context.institution is not None and p.other_institutions.elements:
                yield from self._other_institutions(statement, context, context.institution)

    def depends_on_values(self, analysis: Analysis, context: RuleContext) -> bool:
        """Whether the verdict on ``analysis`` depends on its literals (the institution a
        consolidated table is restricted to), so that it may not be shared by its fingerprint."""
        column = self.params.other_institutions.column
        if (
            context.institution is None
            or column is None
            or not self.params.other_institutions.elements
        ):
            return False
        for statement in analysis.statements:
            for table in statement.resolution.tables:
                facts = context.catalogue.table(table)
                if facts is not None and column in facts.columns:
                    return True
        return False

    def _other_institutions(
        self, statement: StatementFacts, context: RuleContext, own: str
    ) -> Iterator[str]:
        spec = self.params.other_institutions
        reads = statement.resolution.reads
        for node in statement.nodes.tables:
            name = node.name.lower()
            facts = context.catalogue.table(name)
            if facts is None or name in statement.nodes.ctes:
                continue
            owned = sorted(
                f"{name}.{c}"
                for t, c in reads
                if t == name
                and (element := facts.columns[c].element) is not None
                and element.startswith(spec.elements)
            )
            if not owned:
                continue
            what = ", ".join(owned)
            owner = schema_institution(node, spec.schemas, context.institutions)
            if owner is not None:
                if owner != own:
                    yield f"reads {what} of institution {owner} ({node.db}.{name}), not the caller's {own}"
            elif spec.column is not None and spec.column in facts.columns:
                if not restricted_to(node, spec.column, own):
                    yield (
                        f"reads {what} without restricting {name}.{spec.column} to the caller's "
                        f"institution {own}"
                    )
