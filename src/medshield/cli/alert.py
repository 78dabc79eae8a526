"""``medshield alert``: the alerts still open, and acknowledging one."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from medshield.cli.ledger import UrlOption, _reading
from medshield.cli.output import Format, FormatOption, emit
from medshield.errors import LedgerMissingError
from medshield.ledger import open_ledger
from medshield.notify import Notifier, acknowledge, forward_alerts, open_alerts
from medshield.policy import load_bundle

app = typer.Typer(help="Alerts (告警): forward alert events, list open alerts, acknowledge one.")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="alert")


@app.command("list")
def list_alerts(url: UrlOption = None, fmt: FormatOption = Format.TABLE) -> None:
    """Alerts not yet acknowledged, oldest first."""
    try:
        with _reading(url) as ledger:
            alerts = open_alerts(ledger)
    except LedgerMissingError:  # no store yet: no alert was ever raised
        alerts = []
    emit(alerts, fmt, title="open alerts")


@app.command("ack")
def ack(
    seq: Annotated[int, typer.Argument(help="The alert's number (its ledger seq).")],
    actor: Annotated[str, typer.Option("--actor", help="Who takes charge of it.")],
    note: Annotated[str, typer.Option("--note", help="Why, or what is being done.")] = "",
    url: UrlOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Acknowledge an alert: escalation stops; the acknowledgement is a ledger event."""
    with open_ledger(url) as ledger:
        receipt = acknowledge(ledger, seq, actor, note)
    emit([{"alert": seq, "ack_seq": receipt.seq, "actor": actor}], fmt)


@app.command("forward")
def forward(
    policy: Annotated[Path | None, typer.Option("--policy", help="Policy bundle folder.")] = None,
    url: UrlOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Send the alert events of the other capabilities (gateway, audit, checks) to the channels
    of notify.yaml, each once; then retry deliveries still owed."""
    with open_ledger(url) as ledger:
        bundle = load_bundle(policy)
        notifier = Notifier(ledger, bundle.notify)
        notifier.recover()
        raised = forward_alerts(ledger, notifier)
        notifier.tick()
        emit([{"forwarded": raised, "pending": len(notifier.pending)}], fmt)
