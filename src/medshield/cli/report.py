"""``medshield report api|audit|compliance``: a report over a time window, from the ledger."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from medshield.cli.ledger import UrlOption, _reading
from medshield.cli.output import Format, FormatOption, emit
from medshield.policy import load_bundle
from medshield.reports import KINDS, build_report, parse_instant, write_report

app = typer.Typer(help="Reports (报表): API detection, audit, compliance, from the ledger.")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="report")


def _command(kind: str) -> None:
    def run(
        since: Annotated[str, typer.Option("--from", help="Start (inclusive): date or ISO time.")],
        until: Annotated[str, typer.Option("--to", help="End (exclusive): date or ISO time.")],
        out: Annotated[Path, typer.Option("--out", help="Output file: .html, .json or .pdf.")],
        lang: Annotated[str, typer.Option("--lang", help="zh (default) or en.")] = "zh",
        policy: Annotated[Path | None, typer.Option("--policy", help="Policy folder.")] = None,
        url: UrlOption = None,
        fmt: FormatOption = Format.TABLE,
    ) -> None:
        start = parse_instant(since, where="--from")
        end = parse_instant(until, where="--to")
        with _reading(url) as ledger:
            report = build_report(kind, ledger, load_bundle(policy), start, end, lang=lang)
        path = write_report(report, out)
        emit([{"report": kind, "out": str(path), "records_read": report.records_read}], fmt)

    run.__doc__ = f"Write the {kind} report of a time window to --out (.html, .json or .pdf)."
    app.command(kind)(run)


for _kind in KINDS:
    _command(_kind)
