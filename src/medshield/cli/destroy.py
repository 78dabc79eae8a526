"""``medshield destroy``: destroy rows of a source table, verify, and record a certificate."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated, Literal

import typer

from medshield.cli.output import Format, FormatOption, emit
from medshield.destroy import Selection, destroy, record, retention_rule
from medshield.errors import StoreError
from medshield.ledger import open_ledger
from medshield.policy import load_bundle


def register(root: typer.Typer) -> None:
    root.command("destroy")(destroy_command)


def destroy_command(
    source_url: Annotated[str, typer.Argument(help="SQLAlchemy URL of the source database.")],
    table: Annotated[str, typer.Option(help="Table whose rows are destroyed.")],
    approved_by: Annotated[
        str | None, typer.Option(help="Who approved the destruction (required: fail closed).")
    ] = None,
    where: Annotated[str | None, typer.Option(help="SQL condition selecting the rows.")] = None,
    older_than: Annotated[
        int | None, typer.Option(min=0, help="Rows older than DAYS (by --date-column).")
    ] = None,
    date_column: Annotated[str | None, typer.Option(help="Date column for --older-than.")] = None,
    rule: Annotated[
        str | None, typer.Option(help="Retention rule of the policy: its days and method.")
    ] = None,
    method: Annotated[
        Literal["delete", "crypto_shred"] | None,
        typer.Option(help="delete rows, or crypto_shred their per-patient keys."),
    ] = None,
    key_column: Annotated[
        str | None, typer.Option(help="crypto_shred: the column holding the data subject.")
    ] = None,
    keys: Annotated[
        str | None, typer.Option(help="crypto_shred: URL of the key table (the source if unset).")
    ] = None,
    patient_column: Annotated[
        str | None,
        typer.Option(help="Column of keyed pseudonyms: the lineage step lists whose data went."),
    ] = None,
    dry_run: Annotated[bool, typer.Option(help="Count the rows only; change nothing.")] = False,
    operator: Annotated[
        str | None, typer.Option(help="Who runs it (the login user when unset).")
    ] = None,
    policy: Annotated[Path | None, typer.Option(help="Policy bundle folder.")] = None,
    store: Annotated[
        str | None, typer.Option(help="Store URL holding the ledger; the platform store if unset.")
    ] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Destroy rows (数据销毁), check they are gone, and record a destruction certificate."""
    rule_name = None
    if rule is not None:
        retention = retention_rule(load_bundle(policy), rule)
        rule_name = retention.name
        older_than = retention.days if older_than is None and where is None else older_than
        method = method or retention.method
    selection = Selection(
        table=table, where=where, older_than_days=older_than, date_column=date_column
    )
    cert = destroy(
        source_url,
        selection,
        approved_by=approved_by,
        operator=operator or getpass.getuser(),
        method=method or "delete",
        dry_run=dry_run,
        key_column=key_column,
        keys_url=keys,
        retention_rule=rule_name,
        patient_column=patient_column,
    )
    if not dry_run:
        with open_ledger(store) as ledger:
            record(ledger, cert)
    row = cert.as_row()
    if fmt is Format.TABLE:
        title = "销毁预演 dry run" if dry_run else "销毁证明 destruction certificate"
        emit([{"field": k, "value": v} for k, v in row.items()], fmt, title=title)
    else:
        emit([row], fmt)
    if not dry_run and not cert.verified:
        raise StoreError(
            f"destruction not verified: {cert.remaining_by_predicate} rows still match,"
            f" {cert.remaining_by_key} rows with deleted keys remain",
            where=table,
        )
