"""``medshield audit``: SQL statements and server logs."""

from __future__ import annotations

import typer

from medshield.cli import audit_log

app = typer.Typer(name="audit", help="Audit SQL statements and server logs.", no_args_is_help=True)


def register(root: typer.Typer) -> None:
    audit_log.register(app)
    root.add_typer(app, name="audit")
