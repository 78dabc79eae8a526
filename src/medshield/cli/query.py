"""``medshield query URL "SQL"``: the ad-hoc query service (即席查询) from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from medshield.audit.query import run_query
from medshield.cli.audit_sql import load_catalogue
from medshield.cli.output import Format, FormatOption, emit
from medshield.policy import load_bundle
from medshield.store.sources import source_url


def register(root: typer.Typer) -> None:
    root.command("query")(query)


def query(
    url: Annotated[str, typer.Argument(help="The source database URL.")],
    sql: Annotated[str, typer.Argument(help="One SELECT statement.")],
    user: Annotated[str, typer.Option("--user", help="Who asks (ledger actor).")],
    role: Annotated[str, typer.Option("--role", help="The user's role (roles.yaml).")],
    scenario: Annotated[str, typer.Option("--scenario", help="The scenario of the use.")],
    institution: Annotated[
        str | None,
        typer.Option("--institution", help="The user's institution (institutions.yaml)."),
    ] = None,
    catalogue: Annotated[
        str | None,
        typer.Option("--catalogue", help="A catalogue file; default: read from the source."),
    ] = None,
    row_cap: Annotated[
        int | None, typer.Option("--row-cap", min=1, help="Rows at most; default: the policy's.")
    ] = None,
    policy: Annotated[Path | None, typer.Option("--policy", help="Policy bundle folder.")] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Audit, run read-only under the tier's time limit, mask, checksum and record one query."""
    source_url(url)  # refuses a malformed URL or a missing SQLite file before any work
    bundle = load_bundle(policy)
    result = run_query(
        url, sql, user=user, role=role, scenario=scenario, bundle=bundle, row_cap=row_cap,
        catalogue=load_catalogue(catalogue, bundle) if catalogue else None,
        institution=institution,
    )  # fmt: skip
    if fmt is Format.TABLE:
        emit(result.rows, fmt, title=f"{len(result.rows)} 行 rows")
        tier = result.verdict.tier
        typer.echo(f"tier: {tier.name} ({tier.seconds:g} s) - {tier.reason}", err=True)
        for finding in result.verdict.findings:
            typer.echo(f"{finding.action}: {finding.rule}: {finding.evidence}", err=True)
        more = " (truncated at the row cap)" if result.truncated else ""
        typer.echo(f"checksum: {result.checksum}{more}", err=True)
        return
    emit(
        [
            {
                "rows": result.rows,
                "columns": list(result.columns),
                "truncated": result.truncated,
                "checksum": result.checksum,
                **result.verdict.as_dict(),
            }
        ],
        fmt,
    )
