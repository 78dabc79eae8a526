"""``medshield audit log FILE --source S [--follow]``: one record per finding or bad line."""

from __future__ import annotations

import json
import signal
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from medshield.audit.detectors import DETECTORS, DetectorContext, Finding, LogAudit
from medshield.audit.detectors.log_run import LogRun
from medshield.audit.detectors.record import LedgerRecorder
from medshield.audit.sources import SOURCES, BadLine
from medshield.cli.output import Format, FormatOption, emit
from medshield.ledger import open_ledger
from medshield.policy import load_bundle

SourceName = StrEnum("SourceName", {n.replace("-", "_"): n for n in SOURCES.names()})  # type: ignore[misc]


def register(audit_app: typer.Typer) -> None:
    audit_app.command("log")(log)


def _row(item: Finding | BadLine) -> dict[str, Any]:
    if isinstance(item, Finding):
        return item.as_row()
    return {
        "record": "bad_line",
        "code": item.code,
        "message": item.error.message,
        "where": item.error.where,
        "lines": [item.line, item.line],
    }


def log(
    file: Annotated[Path, typer.Argument(help="The log file.")],
    source: Annotated[SourceName, typer.Option("--source", help="The log's format.")],
    follow: Annotated[bool, typer.Option(help="Keep reading as the file grows.")] = False,
    ledger_url: Annotated[
        str | None, typer.Option("--url", help="Store URL; MEDSHIELD_STORE_URL when not given.")
    ] = None,
    record: Annotated[
        bool, typer.Option(help="Record findings and the read position in the ledger.")
    ] = True,
    policy: Annotated[Path | None, typer.Option(help="Policy bundle folder.")] = None,
    poll: Annotated[float, typer.Option(min=0.01, help="Seconds between looks (--follow).")] = 0.2,
    commit_every: Annotated[
        int, typer.Option(min=1, help="Record the read position every N lines (and when idle).")
    ] = 5000,
    fmt: FormatOption = Format.JSONL,
) -> None:
    """Audit a server or database log: login failures, compromise, abnormal remote access,
    bulk export, batch delete, query bursts, and their correlation into incidents.

    Findings are recorded as alert.* events (outcome alert); a restart resumes where the last run stopped.
    Bad lines are counted and reported with their code; they never stop the stream.
    """
    bundle = load_bundle(policy)
    ctx = DetectorContext.from_bundle(bundle)
    audit = LogAudit(SOURCES.get(source.value)(where=str(file)), ctx, DETECTORS)  # type: ignore[call-arg]
    rows: list[dict[str, Any]] = []

    def out(item: Finding | BadLine) -> None:
        row = _row(item)
        if fmt is Format.JSONL:
            sys.stdout.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
            sys.stdout.flush()
        else:
            rows.append(row)

    ledger = open_ledger(ledger_url, bundle=bundle) if record else None
    try:
        recorder = (
            LedgerRecorder(ledger, file.resolve(), source.value, bundle.short_version)
            if ledger is not None
            else None
        )
        run = LogRun(audit, file, out, recorder, commit_every=commit_every)

        def stop(*_: object) -> None:
            run.stopping = True

        if follow:
            signal.signal(signal.SIGTERM, stop)
            signal.signal(signal.SIGINT, stop)
            run.follow(poll)
        else:
            run.batch()
    finally:
        if ledger is not None:
            ledger.close()
    if fmt is not Format.JSONL:
        emit(rows, fmt, title=f"{file} ({source.value})")
    counts = audit.counts
    for code, number in sorted(counts.bad.items()):
        typer.echo(f"error[{code}]: {number} bad lines skipped ({file})", err=True)
    typer.echo(
        f"read {counts.lines} lines: {counts.events} events, {counts.findings} findings, "
        f"{sum(counts.bad.values())} bad",
        err=True,
    )
