"""``medshield ledger check``: scheduled analysis of the ledger (R16), run once or repeatedly."""

from __future__ import annotations

from typing import Annotated

import typer

from medshield.cli.ledger import app as ledger_app
from medshield.cli.output import Format, FormatOption, emit
from medshield.ledger import open_ledger
from medshield.monitor import CheckRun, parse_window, run_checks, run_every


def register(root: typer.Typer) -> None:
    del root  # a sub-command of ``medshield ledger``
    ledger_app.command("check")(check)


def _rows(number: int, run: CheckRun) -> list[dict[str, object]]:
    recorded = {id(f) for f in run.recorded}
    seqs = iter(r.seq for r in run.receipts)
    return [
        {"run": number, **f.as_row(), "alert_seq": next(seqs) if id(f) in recorded else None}
        for f in run.findings
    ]


def check(
    window: Annotated[str, typer.Option(help="Look back this far: 30s, 5m, 1h, 1d.")] = "5m",
    every: Annotated[
        float | None, typer.Option(help="Repeat every SECONDS (with --max-runs).")
    ] = None,
    max_runs: Annotated[int, typer.Option(min=1, help="Runs when repeating.")] = 1,
    deny_threshold: Annotated[int, typer.Option(min=1, help="Denials per window.")] = 20,
    alert_threshold: Annotated[int, typer.Option(min=1, help="Alerts per window.")] = 50,
    url: Annotated[
        str | None,
        typer.Option("--store", "--url", help="Store URL; MEDSHIELD_STORE_URL when not given."),
    ] = None,
    fail_on_finding: Annotated[
        bool, typer.Option(help="Exit with code 3 when a check found something.")
    ] = False,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Check the ledger: chain breaks, replicas behind, denial bursts, alert storms.

    Each finding is recorded as an ``alert.<check>`` event (once per window and subject).
    """
    span = parse_window(window)
    params = {
        "deny_burst": {"threshold": deny_threshold},
        "alert_storm": {"threshold": alert_threshold},
    }
    found = 0

    def show(number: int, run: CheckRun) -> None:
        nonlocal found
        rows = _rows(number, run)
        found += len(rows)
        if rows or fmt is not Format.TABLE:
            emit(rows, fmt, title=f"ledger check #{number}: findings")
        else:
            typer.echo(f"ledger check #{number}: no findings in the last {window}")

    with open_ledger(url) as ledger:
        if every is None:
            show(1, run_checks(ledger, window=span, params=params))
        else:
            run_every(ledger, every=every, max_runs=max_runs, window=span, params=params,
                      on_run=show)  # fmt: skip
    if found and fail_on_finding:
        raise SystemExit(3)  # typer.Exit's code is lost when the root runs non-standalone
