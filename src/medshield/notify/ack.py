"""Acknowledging alerts (``medshield alert ack``) and the alerts still open, from the ledger.

``list_open_as`` and ``acknowledge_as`` do the same for a member of the organisation, decided and
recorded by ``governance.authorize`` (admin actions ``alert.list`` and ``alert.ack``): what the
gateway's admin API calls.
"""

from __future__ import annotations

from typing import Any

from medshield.errors import UnknownAlertError
from medshield.governance.authorize import authorize
from medshield.ledger import Event, Ledger, Receipt
from medshield.policy import PolicyBundle

ALERT, ACK = "notify.alert", "notify.ack"
# the admin actions performed here (``governance.ADMIN_METHODS`` cannot import notify)
ADMIN_FUNCTIONS: dict[str, str] = {"alert.list": "list_open_as", "alert.ack": "acknowledge_as"}


def is_acknowledged(ledger: Ledger, seq: int) -> bool:
    return any(
        r.event.detail.get("alert") == seq for r in ledger.records(start_seq=seq, action_prefix=ACK)
    )


def acknowledge(ledger: Ledger, seq: int, actor: str, note: str = "") -> Receipt:
    """Record that ``actor`` took charge of the alert at ``seq``; escalation stops."""
    found = next(iter(ledger.records(start_seq=seq, end_seq=seq)), None)
    if found is None or found.event.action != ALERT:
        raise UnknownAlertError(f"ledger record {seq} is not an alert", where=str(seq))
    if is_acknowledged(ledger, seq):
        raise UnknownAlertError(f"alert {seq} is already acknowledged", where=str(seq))
    return ledger.append(
        Event(action=ACK, actor=actor, reasons=(note,) if note else (), detail={"alert": seq})
    )


def open_alerts(ledger: Ledger) -> list[dict[str, Any]]:
    """Alerts not yet acknowledged, oldest first (one pass over the ``notify.`` events)."""
    pending: dict[int, dict[str, Any]] = {}
    for record in ledger.records(action_prefix="notify."):
        event = record.event
        if event.action == ALERT:
            d = event.detail
            pending[record.seq] = {
                "seq": record.seq, "at": record.at.isoformat(), "severity": d.get("severity"),
                "kind": d.get("kind"), "title": d.get("title"), "delivered": 0,
            }  # fmt: skip
        elif event.action == "notify.delivered" and event.detail.get("alert") in pending:
            pending[event.detail["alert"]]["delivered"] += 1
        elif event.action == ACK:
            pending.pop(event.detail.get("alert"), None)  # type: ignore[arg-type]
    return list(pending.values())


def list_open_as(ledger: Ledger, bundle: PolicyBundle, actor: str) -> list[dict[str, Any]]:
    """``open_alerts`` for ``actor``, if the policy lets them (``alert.list``; else MS941)."""
    authorize(ledger, bundle, actor, "alert.list")
    return open_alerts(ledger)


def acknowledge_as(
    ledger: Ledger, bundle: PolicyBundle, actor: str, seq: int, note: str = ""
) -> Receipt:
    """``acknowledge`` by ``actor``, if the policy lets them (``alert.ack``; else MS941)."""
    authorize(ledger, bundle, actor, "alert.ack", target=str(seq))
    return acknowledge(ledger, seq, actor, note)
