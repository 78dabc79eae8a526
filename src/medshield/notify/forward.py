"""Alert events of the other capabilities (outcome ``alert``: gateway checks, audit findings,
ledger checks, governance findings) raised as alerts on the channels, each once.

Where forwarding stopped is read back from the ledger (the ``source_seq`` of the last
``notify.alert`` or ``notify.deduplicated``), so a restarted forwarder neither skips nor repeats an event.
"""

from __future__ import annotations

from medshield.ledger import Ledger, LedgerRecord
from medshield.notify.ack import ALERT
from medshield.notify.alert import Alert
from medshield.notify.dispatch import Notifier
from medshield.policy.notify import SEVERITIES

OWN = ("notify.", "probe.result")  # raised by the notifier or the probes themselves
HIGH = ("gateway.alert", "alert.", "audit.log.")  # alert.*: ledger checks, log detectors


def forwarded_up_to(ledger: Ledger) -> int:
    last = 0
    for record in ledger.records(action_prefix="notify."):
        if record.event.action in (ALERT, "notify.deduplicated"):
            last = max(last, int(record.event.detail.get("source_seq") or 0))
    return last


def alert_of(record: LedgerRecord) -> Alert:
    event = record.event
    given = str(event.detail.get("severity", ""))
    severity = (
        given if given in SEVERITIES else "high" if event.action.startswith(HIGH) else "medium"
    )
    subject = event.object.api or event.object.table or str(event.detail.get("subject") or "")
    return Alert(
        kind=event.action, severity=severity, title=event.action,  # type: ignore[arg-type]
        body="; ".join(event.reasons), subject=subject or event.actor,
        institution=event.institution, source_seq=record.seq,
    )  # fmt: skip


def forward_alerts(ledger: Ledger, notifier: Notifier) -> int:
    """Raise every alert event not forwarded yet; returns how many were looked at."""
    seen = 0
    for record in ledger.records(start_seq=forwarded_up_to(ledger) + 1):
        event = record.event
        if event.outcome != "alert" or event.action.startswith(OWN):
            continue
        notifier.raise_alert(alert_of(record))
        seen += 1
    return seen
