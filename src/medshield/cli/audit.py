"""``medshield audit``: the audit group. Its commands come from ``cli.audit_*`` modules."""

from __future__ import annotations

import typer

from medshield.cli import audit_log, audit_sql

app = typer.Typer(
    help="Audit (审计): SQL statements and server and database logs.", no_args_is_help=True
)

audit_sql.register(app)
audit_log.register(app)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="audit")
