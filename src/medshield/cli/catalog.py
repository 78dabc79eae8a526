"""``medshield scan``, ``medshield catalog`` and ``medshield classify``: the graded catalogue."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from medshield import atomic
from medshield.classify.catalog import ScanOptions, open_catalog, scan_source
from medshield.classify.report import level_map, override, report_rows, totals
from medshield.classify.sampling import Sampling
from medshield.cli.actors import OperatorOption, operator_name
from medshield.cli.output import Format, FormatOption, emit
from medshield.policy import load_bundle
from medshield.settings import get_settings

catalog_app = typer.Typer(help="The graded data catalogue (数据分类分级目录).")
classify_app = typer.Typer(help="The column classifier's learned name model.")

StoreOption = Annotated[
    str | None, typer.Option("--store", help="Store URL; MEDSHIELD_STORE_URL when not given.")
]
PolicyOption = Annotated[Path | None, typer.Option("--policy", help="Policy bundle folder.")]


def register(root: typer.Typer) -> None:
    root.command("scan")(scan)
    root.add_typer(catalog_app, name="catalog")
    root.add_typer(classify_app, name="classify")


def scan(
    urls: Annotated[list[str], typer.Argument(help="SQLAlchemy URLs of the source databases.")],
    sample: Annotated[
        int, typer.Option(min=0, help="Rows sampled per table (0: names only).")
    ] = 100,
    sampling: Annotated[Sampling, typer.Option(help="random or first rows.")] = Sampling.RANDOM,
    timeout: Annotated[float, typer.Option(help="Statement timeout in seconds.")] = 30.0,
    store: StoreOption = None,
    policy: PolicyOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Scan, classify and grade the tables of each source into the catalogue (扫描)."""
    bundle = load_bundle(policy or get_settings().policy)
    engine = open_catalog(store)
    options = ScanOptions(
        sample=sample, sampling=sampling, timeout_s=timeout, use_values=sample > 0
    )
    rows = []
    show = fmt is Format.TABLE
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, transient=True, disable=not show) as bar:
        for url in urls:
            task = bar.add_task(url.split("@")[-1][:40], total=None)

            def tick(table: str, done: int, total: int, task_id: TaskID = task) -> None:
                bar.update(task_id, completed=done - 1, total=total, description=table[:40])

            s = scan_source(engine, url, bundle, options=options, progress=tick)
            bar.update(task, completed=s.tables)
            rows.append(
                {
                    "source": s.source,
                    "tables": s.tables,
                    "columns": s.columns,
                    "classified": s.classified,
                    "regraded": s.regraded,
                    "skipped": s.skipped,
                    "removed": s.removed,
                    "level_changes": len(s.changes),
                    "unsampled": len(s.unsampled),
                }
            )
            for problem in s.unsampled:
                typer.echo(f"warning: not sampled, graded from names: {problem}", err=True)
    emit(rows, fmt, title="scan")


@catalog_app.command("report")
def report(
    review: Annotated[bool, typer.Option("--review", help="Only low-confidence columns.")] = False,
    summary: Annotated[
        bool, typer.Option("--totals", help="Totals per category and level.")
    ] = False,
    store: StoreOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """One row per column: source, table, column, element, category, level, confidence."""
    rows = report_rows(open_catalog(store), review_only=review)
    if summary:
        emit(totals(rows), fmt, title="columns per category and level")
        return
    if fmt is Format.TABLE:
        rows = [{k: v for k, v in r.items() if k != "trace"} for r in rows]
    emit(rows, fmt, title="review" if review else "catalogue")
    if fmt is Format.TABLE and not review:
        emit(totals(rows), fmt, title="columns per category and level")


@catalog_app.command("override")
def override_cmd(
    source: Annotated[str, typer.Argument(help="Source (its URL, or a unique part of it).")],
    table: Annotated[str, typer.Argument(help="Table (schema.table where there are schemas).")],
    column: Annotated[str, typer.Argument(help="Column.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (kept with the change).")],
    by: Annotated[str, typer.Option("--by", help="Who decides (a functional department).")],
    level: Annotated[str | None, typer.Option("--level", help="The level to set.")] = None,
    element: Annotated[str | None, typer.Option("--element", help="The element code.")] = None,
    operator: OperatorOption = None,
    store: StoreOption = None,
    policy: PolicyOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Set a column's level or element by hand, with a reason (kept across rescans); the
    ledger records the operator who entered it and the department that decided."""
    bundle = load_bundle(policy or get_settings().policy)
    row = override(
        open_catalog(store),
        bundle,
        source,
        table,
        column,
        reason=reason,
        by=by,
        level=level,
        element=element,
        operator=operator_name(operator),
    )
    emit([row], fmt, title="override")


@catalog_app.command("levelmap")
def levelmap(
    out: Annotated[Path, typer.Option("--out", help="JSON file to write.")],
    store: StoreOption = None,
) -> None:
    """Write {source: {table: {column: {element, level}}}} for masking and the gateway."""
    mapping = level_map(open_catalog(store))
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_text(out, json.dumps(mapping, ensure_ascii=False, indent=2) + "\n")
    typer.echo(f"level map: {sum(len(t) for t in mapping.values())} tables -> {out}")


@classify_app.command("train")
def train_cmd(
    labels: Annotated[
        list[Path],
        typer.Option("--labels", help="Label CSVs (table, column, element[, ...]); repeatable."),
    ] = [],  # noqa: B006
    truth: Annotated[
        list[Path],
        typer.Option("--truth", help="Ground-truth CSVs of a synthetic alliance; repeatable."),
    ] = [],  # noqa: B006
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Model file; MEDSHIELD_HOME/classify/model.joblib by default."),
    ] = None,
) -> None:
    """Train the name model on the lexicon plus labelled columns, and save it."""
    from medshield.classify.training import train_and_save

    path, n, version = train_and_save(labels, truth, out)
    typer.echo(f"model {version}: {n} examples -> {path}")
