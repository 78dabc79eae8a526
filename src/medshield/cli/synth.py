"""``medshield synth``: the synthetic alliance and its ground truth."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from medshield.cli.output import Format, FormatOption, emit
from medshield.policy import load_bundle
from medshield.synth import build_alliance


def register(root: typer.Typer) -> None:
    root.command("synth")(synth)


def synth(
    out: Annotated[Path, typer.Option("--out", help="Folder for the databases and ground truth.")],
    patients: Annotated[
        int, typer.Option("--patients", help="Distinct people in the alliance.")
    ] = 20_000,
    seed: Annotated[int, typer.Option("--seed", help="The same seed builds the same data.")] = 7,
    url_template: Annotated[
        str | None,
        typer.Option(
            "--url-template",
            help="Write to a server instead of SQLite, e.g. "
            "postgresql+psycopg://postgres@127.0.0.1:5432/{db}; {db} becomes PREFIX + institution.",
        ),
    ] = None,
    db_prefix: Annotated[
        str, typer.Option("--db-prefix", help="Database name prefix.")
    ] = "ms_his_",
    history_tables: Annotated[
        int,
        typer.Option("--history-tables", help="Monthly archive tables per database (scale)."),
    ] = 0,
    policy: Annotated[Path | None, typer.Option("--policy", help="Policy bundle folder.")] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Build one HIS database per institution of the policy, with realistic Chinese patients,
    and ground_truth.csv saying what every column holds (模拟医联体)."""
    bundle = load_bundle(policy)
    show_bar = fmt is Format.TABLE
    with Progress(
        TextColumn("[bold]生成 / building"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
        disable=not show_bar,
    ) as bar:
        task = bar.add_task("synth", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        manifest = build_alliance(
            out,
            bundle=bundle,
            patients=patients,
            seed=seed,
            url_template=url_template,
            progress=advance,
            db_prefix=db_prefix,
            history_tables=history_tables,
        )
    names = {i.id: i.name for i in bundle.institutions}
    rows = [
        {
            "institution": inst,
            "name": names[inst],
            "style": manifest.styles[inst],
            "tables": len(tables),
            "rows": sum(tables.values()),
            "database": manifest.databases[inst],
        }
        for inst, tables in manifest.rows.items()
    ]
    if fmt is Format.TABLE:  # URLs are long: scripts get them, people read the manifest
        for row in rows:
            del row["database"]
    title = (
        f"{manifest.patients:,} people, {manifest.total_rows:,} rows in {manifest.seconds:.1f} s; "
        f"ground truth: {manifest.ground_truth}"
    )
    emit(rows, fmt, title=title)
