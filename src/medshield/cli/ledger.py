"""``medshield ledger``: verify, export, replicate, restore, drill, status, tail."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from medshield.cli.output import Format, FormatOption, emit
from medshield.errors import LedgerError, LedgerIntegrityError
from medshield.ledger import Ledger, VerifyReport, open_ledger
from medshield.ledger.drill import run_drill
from medshield.ledger.export import export_range, verify_export
from medshield.ledger.replica import compare, replica_status, replicate
from medshield.ledger.restore import restore as restore_ledger

app = typer.Typer(help="The tamper-evident ledger (审计账本): verify, export, replicas, recovery.")

UrlOption = Annotated[
    str | None,
    typer.Option("--store", "--url", help="Store URL; MEDSHIELD_STORE_URL when not given."),
]
ReplicaOption = Annotated[
    list[str] | None,
    typer.Option("--replica", help="Replica URL or folder (repeat); MEDSHIELD_LEDGER_REPLICAS."),
]


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="ledger")


@contextmanager
def _reading(url: str | None) -> Iterator[Ledger]:
    """The ledger for a command that only reads: never created, closed without a checkpoint."""
    ledger = open_ledger(url, create=False)
    try:
        yield ledger
    finally:
        ledger.close(checkpoint=False)


def _report_row(report: VerifyReport) -> dict[str, object]:
    return {
        "ok": report.ok,
        "checked": report.checked,
        "first_bad_seq": report.first_bad_seq,
        "problem": report.problem or "",
        "checkpoints": report.checkpoints,
        "checkpoints_ok": report.checkpoints_ok,
        "head_seq": report.head_seq,
        "records_per_s": round(report.rate),
        "notes": "; ".join(report.notes),
    }


def _conclude(report: VerifyReport, fmt: Format, where: str) -> None:
    row = _report_row(report)
    if fmt is Format.TABLE:  # one line a figure reads better than nine narrow columns
        emit([{"check": k, "value": v} for k, v in row.items()], fmt, title="ledger verify")
    else:
        emit([row], fmt, title="ledger verify")
    if not report.ok:
        place = f"{where}, seq {report.first_bad_seq}" if report.first_bad_seq else where
        raise LedgerIntegrityError(report.problem or "ledger does not verify", where=place)


@app.command("verify")
def verify(
    url: UrlOption = None,
    file: Annotated[Path | None, typer.Option("--file", help="Verify an export file.")] = None,
    start: Annotated[int | None, typer.Option("--from", help="First record.")] = None,
    end: Annotated[int | None, typer.Option("--to", help="Last record.")] = None,
    replica: ReplicaOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Verify the chain (or an export): every link, checkpoint and signature, and agreement with
    the replicas (which shows a cut-off tail). Exits 1 if bad."""
    if file is not None:
        _conclude(verify_export(file), fmt, str(file))
        return
    with _reading(url) as ledger:
        report = ledger.verify(start, end)
        if report.ok:
            for location in replica or ledger.replicas:
                problem = compare(ledger, location)
                if problem is not None:
                    report = replace(report, ok=False, problem=f"{problem} ({location})")
                    break
    _conclude(report, fmt, "ledger")


@app.command("export")
def export(
    out: Annotated[Path, typer.Option("--out", help="The JSONL file to write.")],
    start: Annotated[int, typer.Option("--from", min=1, help="First record.")] = 1,
    end: Annotated[
        int | None, typer.Option("--to", help="Last record (the head when omitted).")
    ] = None,
    url: UrlOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Write records FROM..TO with their proof (enclosing signed checkpoints)."""
    with open_ledger(url) as ledger:
        ledger.checkpoint()  # sign the head first, so the range's end is anchored
        s = export_range(ledger, out, start, end)
    row = {"file": str(s.path), "from": s.start_seq, "to": s.end_seq, "records": s.records,
           "checkpoints": s.checkpoints, "anchored_before": s.anchored_before,
           "anchored_after": s.anchored_after}  # fmt: skip
    emit([row], fmt, title="ledger export")


@app.command("replicate")
def replicate_cmd(
    url: UrlOption = None,
    replica: ReplicaOption = None,
    every: Annotated[
        float | None, typer.Option(min=0.01, help="Keep shipping, every SECONDS (a replicator).")
    ] = None,
    rounds: Annotated[int | None, typer.Option(min=1, help="With --every: stop after N.")] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Ship new records to the replicas now (or keep shipping with --every)."""
    with _reading(url) as ledger:
        locations = replica or list(ledger.replicas)
        if not locations:
            raise LedgerError("no replica: give --replica or set MEDSHIELD_LEDGER_REPLICAS")
        done = 0
        while True:
            if every is not None:  # as a service, it also signs quiet periods on time
                ledger.checkpoint(only_if_due=True)
            emit([s.as_row() for s in replicate(ledger, locations)], fmt, title="ledger replicate")
            done += 1
            if every is None or (rounds is not None and done >= rounds):
                break
            time.sleep(every)


@app.command("status")
def status(
    url: UrlOption = None, replica: ReplicaOption = None, fmt: FormatOption = Format.TABLE
) -> None:
    """Head, checkpoints, and each replica's lag (records and seconds)."""
    with _reading(url) as ledger:
        seq, hash_ = ledger.head()
        cps = ledger.checkpoints()
        rows: list[dict[str, object]] = [
            {"item": "head", "value": seq},
            {"item": "head hash", "value": f"{ledger.hash_alg}:{hash_}"},
            {"item": "checkpoints", "value": len(cps)},
            {"item": "newest checkpoint", "value": cps[-1].seq if cps else "-"},
        ]
        locations = replica or list(ledger.replicas)
        for s in replica_status(ledger, locations):
            rows += [
                {"item": f"replica {s.location} seq", "value": s.replica_seq},
                {"item": f"replica {s.location} lag records", "value": s.lag_records},
                {"item": f"replica {s.location} lag seconds", "value": round(s.lag_seconds, 1)},
            ]
        if not locations:
            warning = "no replica configured: the ledger cannot be restored, nor drilled"
            rows.append({"item": "warning", "value": warning})
            typer.echo(f"warning: {warning} (set MEDSHIELD_LEDGER_REPLICAS)", err=True)
    emit(rows, fmt, title="ledger status")


@app.command("tail")
def tail(
    n: Annotated[int, typer.Option("-n", "--lines", min=1, help="How many records.")] = 20,
    url: UrlOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """The last N records."""
    with _reading(url) as ledger:
        head = ledger.head()[0]
        rows = [
            {
                "seq": r.seq,
                "at": r.at.isoformat(),
                "action": r.event.action,
                "actor": r.event.actor,
                "outcome": r.event.outcome,
                "object": r.event.object.table or r.event.object.api or "",
                "hash": r.hash[:16],
            }  # fmt: skip
            for r in ledger.records(start_seq=max(head - n + 1, 1))
        ]
    emit(rows, fmt, title="ledger tail")


@app.command("restore")
def restore(
    source: Annotated[str, typer.Option("--from", help="The replica: a URL or a segment folder.")],
    target: Annotated[str, typer.Option("--to", help="URL of the (empty) store to rebuild.")],
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Rebuild a primary from a replica, then verify it."""
    r = restore_ledger(source, target)
    row = {"records": r.records, "checkpoints": r.checkpoints, "head": r.head[0],
           "verified": r.verify.ok, "seconds": round(r.seconds, 3)}  # fmt: skip
    emit([row], fmt, title="ledger restore")
    if not r.verify.ok:
        raise LedgerIntegrityError(
            r.verify.problem or "restored ledger does not verify", where=target
        )


@app.command("drill")
def drill(
    url: UrlOption = None,
    replica: ReplicaOption = None,
    scratch: Annotated[
        Path | None, typer.Option(help="Scratch folder (a temporary one when omitted).")
    ] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Disaster-recovery drill: copy, destroy, restore from a replica, verify, count losses."""
    with open_ledger(url) as ledger:
        report = run_drill(ledger, tuple(replica or ()), scratch)
    emit(report.as_rows(), fmt, title="ledger drill")
    if not report.ok:
        raise LedgerIntegrityError(f"drill failed: {report.lost} acknowledged records lost")
