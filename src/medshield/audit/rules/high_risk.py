"""High-risk DDL and DML: DROP, TRUNCATE, ALTER ... DROP, bulk UPDATE/DELETE, INSERT ... SELECT
of sensitive data, and statements that write or read files (INTO OUTFILE, COPY ... TO,
LOAD_FILE, pg_read_file, xp_cmdshell)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlglot import exp

from medshield.audit.rules.base import RuleContext
from medshield.audit.sql import signals
from medshield.audit.sql.analysis import Analysis, StatementFacts
from medshield.elements.levels import Level


class HighRiskRule:
    name: ClassVar[str] = "high_risk"

    class Params(BaseModel):
        model_config = ConfigDict(extra="forbid")
        bulk_rows: int = Field(default=10_000, ge=1)  # UPDATE/DELETE on a table this large ...
        min_level: Level = Level.SENSITIVE  # ... INSERT ... SELECT of data from this level

        _lv = field_validator("min_level", mode="before")(lambda v: Level.parse(v))

    def __init__(self, params: Params | None = None) -> None:
        self.params = params or self.Params()

    def check(self, analysis: Analysis, context: RuleContext) -> Iterator[str]:
        text = analysis.fingerprint.text
        # each pattern is tried only where the word it needs is in the text
        if ("outfile" in text or "dumpfile" in text) and signals.OUTFILE.search(text):
            yield "SELECT INTO OUTFILE/DUMPFILE writes a file on the server"
        if text.startswith("copy") and signals.COPY_TO.search(text):
            yield "COPY ... TO writes a file or a program"
        if ("xp_" in text or "sp_" in text) and signals.EXEC_XP.search(text):
            yield "runs an extended stored procedure (xp_/sp_)"
        for name in signals.calls(signals.FILE_FUNCTIONS, text):
            yield f"{name}() reads the server's file system"
        for statement in analysis.statements:
            yield from self._statement(statement, context)

    def _statement(self, statement: StatementFacts, context: RuleContext) -> Iterator[str]:
        tree, r = statement.tree, statement.resolution
        if isinstance(tree, exp.Drop):
            yield f"DROP {tree.args.get('kind') or ''} {tree.this.sql() if tree.this else ''}".strip()
        elif isinstance(tree, exp.TruncateTable):
            yield "TRUNCATE " + ", ".join(t.sql() for t in tree.expressions)
        elif isinstance(tree, exp.Alter) and any(
            isinstance(a, exp.Drop) or "DROP" in a.sql().upper()[:12]
            for a in tree.args.get("actions") or ()
        ):
            yield f"ALTER {tree.this.sql()} ... DROP"
        elif isinstance(tree, exp.Command) and tree.name.upper() in {"DROP", "TRUNCATE"}:
            yield f"{tree.name.upper()} (not parsed further)"
        elif isinstance(tree, (exp.Update, exp.Delete)):
            for table in sorted({t for t, _ in r.writes}):
                facts = context.catalogue.table(table)
                if facts is None or (facts.rows or 0) < self.params.bulk_rows:
                    continue
                if not any(t == table and c in facts.indexed for t, c in r.predicates):
                    yield f"bulk {statement.kind.upper()} of {table} ({facts.rows} rows, no indexed predicate)"
        elif isinstance(tree, exp.Insert) and tree.find(exp.Query) is not None:
            for table, column in sorted(r.reads):
                facts = context.catalogue.table(table)
                col = facts.columns.get(column) if facts else None
                if col is not None and col.level is not None and col.level >= self.params.min_level:
                    yield f"INSERT ... SELECT copies {table}.{column} ({col.level.en})"
