"""``medshield risk``: the risk register (风险登记册), its history, signals, heat map, exports."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from medshield import atomic
from medshield.cli.output import Format, FormatOption, emit
from medshield.errors import InputError
from medshield.governance import Admin
from medshield.ledger import open_ledger
from medshield.policy import load_bundle
from medshield.risk import (
    heatmap_html,
    heatmap_svg,
    history,
    proposals,
    read_register,
    register_rows,
    to_csv,
    to_json,
)

app = typer.Typer(help="Risk register (风险登记册): L x S, bands, signals a person confirms.")

StoreOption = Annotated[
    str | None,
    typer.Option("--store", help="Store URL holding the ledger; the platform store if unset."),
]
PolicyOption = Annotated[Path | None, typer.Option("--policy", help="Policy bundle folder.")]
ActorOption = Annotated[str, typer.Option("--actor", help="Member id of the organisation acting.")]
ReasonOption = Annotated[str, typer.Option("--reason", help="Why (recorded in the ledger).")]
TABLE_COLUMNS = ("id", "point", "likelihood", "severity", "score", "band_zh", "assessed_by")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="risk")


@app.command("list")
def list_risks(store: StoreOption = None, fmt: FormatOption = Format.TABLE) -> None:
    """The register as the ledger has it (Table 1 plus every assessment)."""
    with open_ledger(store) as ledger:
        rows = register_rows(read_register(ledger).values())
    if fmt is Format.TABLE:
        rows = [{k: r[k] for k in TABLE_COLUMNS} for r in rows]
    emit(rows, fmt, title="数据安全风险登记册 risk register")


@app.command("history")
def history_cmd(
    risk: Annotated[str, typer.Argument(help="Risk id, e.g. RK03.")],
    store: StoreOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Every assessment of one risk, the Table 1 baseline first."""
    with open_ledger(store) as ledger:
        rows = [r.as_row() for r in history(ledger, risk)]
    emit([{k: r[k] for k in (*TABLE_COLUMNS, "assessed_at", "reason")} for r in rows], fmt)


@app.command("assess")
def assess_cmd(
    risk: Annotated[str, typer.Argument(help="Risk id.")],
    likelihood: Annotated[int, typer.Option("--likelihood", "-l", help="L, 1-5.")],
    severity: Annotated[int, typer.Option("--severity", "-s", help="S, 1-5.")],
    actor: ActorOption,
    reason: ReasonOption,
    factor: Annotated[
        list[str] | None,
        typer.Option(
            help="KEY=TEXT weighed (R2): stage, users, business, sensitivity, storage, "
            "threats, controls (repeatable)."
        ),
    ] = None,
    policy: PolicyOption = None,
    store: StoreOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Assess a risk by hand (an admin action)."""
    factors = {}
    for pair in factor or []:
        key, sep, text = pair.partition("=")
        if not sep or not key:
            raise InputError(f"expected KEY=TEXT, got {pair!r}", where="--factor")
        factors[key] = text
    with open_ledger(store) as ledger:
        result = Admin(ledger, load_bundle(policy), actor).assess_risk(
            risk, likelihood, severity, reason
        )
    emit([{k: result.as_row()[k] for k in TABLE_COLUMNS}], fmt)


@app.command("signals")
def signals_cmd(
    actor: ActorOption, policy: PolicyOption = None, store: StoreOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:  # fmt: skip
    """Run the policy's signal rules over the ledger and record what they propose."""
    with open_ledger(store) as ledger:
        found = Admin(ledger, load_bundle(policy), actor).propose_risks()
    emit([p.as_row() for p in found], fmt, title="新的风险调整建议 new proposals")


@app.command("proposals")
def proposals_cmd(store: StoreOption = None, fmt: FormatOption = Format.TABLE) -> None:
    """Every proposal and whether a person confirmed or rejected it."""
    with open_ledger(store) as ledger:
        emit([p.as_row() for p in proposals(ledger)], fmt, title="风险调整建议 proposals")


def _decide(seq: int, actor: str, reason: str, policy: Path | None, store: str | None,
            fmt: Format, *, confirm: bool) -> None:  # fmt: skip
    with open_ledger(store) as ledger:
        p = Admin(ledger, load_bundle(policy), actor).decide_risk(
            seq, confirm=confirm, reason=reason
        )
    emit([p.as_row()], fmt)


@app.command("confirm")
def confirm_cmd(
    seq: Annotated[int, typer.Argument(help="Ledger seq of the proposal.")],
    actor: ActorOption, reason: ReasonOption, policy: PolicyOption = None,
    store: StoreOption = None, fmt: FormatOption = Format.TABLE,
) -> None:  # fmt: skip
    """Confirm a proposal: it becomes a new assessment."""
    _decide(seq, actor, reason, policy, store, fmt, confirm=True)


@app.command("reject")
def reject_cmd(
    seq: Annotated[int, typer.Argument(help="Ledger seq of the proposal.")],
    actor: ActorOption, reason: ReasonOption, policy: PolicyOption = None,
    store: StoreOption = None, fmt: FormatOption = Format.TABLE,
) -> None:  # fmt: skip
    """Reject a proposal, with its reason."""
    _decide(seq, actor, reason, policy, store, fmt, confirm=False)


@app.command("heatmap")
def heatmap_cmd(
    out: Annotated[Path, typer.Option("--out", help="File to write: .svg or .html.")],
    store: StoreOption = None,
) -> None:
    """The heat map of the register (likelihood by severity)."""
    if out.suffix.lower() not in (".svg", ".html"):
        raise InputError("the heat map is written as .svg or .html", where=str(out))
    with open_ledger(store) as ledger:
        risks = list(read_register(ledger).values())
    atomic.write_text(
        out, heatmap_svg(risks) if out.suffix.lower() == ".svg" else heatmap_html(risks)
    )
    typer.echo(str(out))


@app.command("export")
def export_cmd(
    out: Annotated[Path, typer.Option("--out", help="File to write: .csv or .json.")],
    store: StoreOption = None,
) -> None:
    """The register as CSV or JSON."""
    writers = {".csv": to_csv, ".json": to_json}
    writer = writers.get(out.suffix.lower())
    if writer is None:
        raise InputError("the register is exported as .csv or .json", where=str(out))
    with open_ledger(store) as ledger:
        atomic.write_text(out, writer(read_register(ledger).values()))
    typer.echo(str(out))
