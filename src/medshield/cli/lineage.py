"""``medshield lineage``: the data-flow graph read from the ledger (R15)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from medshield.cli.output import Format, FormatOption, emit
from medshield.ledger import open_ledger
from medshield.lineage import (
    FlowGraph,
    downstream,
    graph_from_ledger,
    patient_flow,
    record_step,
)
from medshield.lineage.openlineage import write_jsonl
from medshield.lineage.render import write_html
from medshield.policy import Form, Stage

app = typer.Typer(help="Data-flow graph (数据流向图): where data went, in what form, by whom.")

StoreOption = Annotated[
    str | None,
    typer.Option("--store", help="Store URL holding the ledger; the platform store when unset."),
]
OutOption = Annotated[Path, typer.Option("--out", help="File to write.")]


TABLE_COLUMNS = ("depth", "seq", "stage", "from", "to", "form", "actor", "time_in", "rows")


def _rows(rows: list[dict[str, Any]], fmt: Format) -> list[dict[str, Any]]:
    """All fields for scripts; for people the columns that fit, times to the second."""
    if fmt is not Format.TABLE:
        return rows
    return [
        {
            k: (str(r[k])[:19].replace("T", " ") if k == "time_in" else r[k])
            for k in TABLE_COLUMNS
            if k in r
        }  # fmt: skip
        for r in rows
    ]


def _emit_flow(rows: list[dict[str, Any]], fmt: Format, *, title: str, none: str) -> None:
    """The rows of a flow; for people, the ``none`` line when nothing was recorded."""
    if not rows and fmt is Format.TABLE:
        typer.echo(none)
        return
    emit(_rows(rows, fmt), fmt, title=title)


def _graph(store: str | None) -> FlowGraph:
    with open_ledger(store) as ledger:
        return graph_from_ledger(ledger)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="lineage")


@app.command("record")
def record(
    stage: Annotated[Stage, typer.Option(help="Lifecycle stage.")],
    from_: Annotated[str, typer.Option("--from", help="SOURCE/TABLE the data came from.")],
    to: Annotated[str, typer.Option("--to", help="SOURCE/TABLE the data went to.")],
    actor: Annotated[str, typer.Option(help="User or system id (never a person's name).")],
    form: Annotated[Form, typer.Option(help="Form of the data.")] = Form.RAW,
    rows: Annotated[int | None, typer.Option(min=0, help="Rows moved.")] = None,
    level: Annotated[str | None, typer.Option(help="Security level of the data.")] = None,
    pseudonym: Annotated[
        list[str] | None, typer.Option(help="Keyed pseudonym of a patient (repeatable).")
    ] = None,
    job: Annotated[str | None, typer.Option(help="Job id.")] = None,
    store: StoreOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Record one lifecycle step that happened now."""
    now = datetime.now(UTC)
    with open_ledger(store) as ledger:
        receipt = record_step(
            ledger, stage=stage, actor=actor, from_=from_, to=to, form=form, rows=rows,
            level=level, time_in=now, time_out=now, pseudonyms=pseudonym or (), job=job,
        )  # fmt: skip
    emit([{"seq": receipt.seq, "hash": receipt.hash}], fmt, title="lineage step recorded")


@app.command("table")
def table(
    node: Annotated[str, typer.Argument(help="SOURCE/TABLE to follow downstream.")],
    store: StoreOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Where did the data of a table go: every step downstream, with forms, times and users.
    SOURCE may be a unique part of the source's name, as in ``catalog override``."""
    graph = _graph(store)
    node = _resolve(graph, node)
    hops = downstream(graph, node)
    _emit_flow(
        [h.as_row() for h in hops],
        fmt,
        title=f"{node} 的数据去向 downstream",
        none=f"没有 {node} 流出的记录 / no recorded flow out of {node}",
    )


def _resolve(graph: Any, node: str) -> str:
    """``node`` with its source named in full when a unique part of it was given."""
    from medshield.errors import UnknownNameError

    if node in graph.nodes:
        return node
    source, _, name = node.rpartition("/")
    sources = sorted({n.rpartition("/")[0] for n in graph.nodes})
    chosen = [s for s in sources if s == source] or [
        s for s in sources if source and (s.endswith(source) or source in s)
    ]
    if len(chosen) > 1:
        raise UnknownNameError(f"ambiguous source {source!r}; known: {', '.join(chosen)}")
    return f"{chosen[0]}/{name}" if chosen else node


@app.command("patient")
def patient(
    pseudonym: Annotated[str, typer.Argument(help="The patient's keyed pseudonym.")],
    store: StoreOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Where did this patient's data go: in what form, when, by whom."""
    edges = patient_flow(_graph(store), pseudonym)
    _emit_flow(
        [e.as_row() for e in edges],
        fmt,
        title="患者数据去向 patient's data",
        none="没有该患者的数据流向记录 / no recorded flow of this patient's data",
    )


@app.command("export")
def export(out: OutOption, store: StoreOption = None) -> None:
    """Write the graph as OpenLineage run events, one JSON object a line."""
    count = write_jsonl(_graph(store), out)
    typer.echo(f"{count} OpenLineage run events -> {out}")


@app.command("render")
def render(out: OutOption, store: StoreOption = None) -> None:
    """Draw the graph into one self-contained HTML page (inline SVG)."""
    graph = _graph(store)
    write_html(graph, out)
    typer.echo(f"{len(graph.nodes)} tables, {len(graph)} steps -> {out}")
