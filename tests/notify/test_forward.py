"""Alert events of other capabilities reach the channels once, across restarts."""

from __future__ import annotations

from medshield.ledger import DataObject, Event, Ledger
from medshield.notify import Notifier, forward_alerts
from medshield.notify.channels.recording import RecordingChannel
from medshield.policy.notify import NotifySection

SECTION = NotifySection.model_validate({
    "channels": [{"id": "ops", "kind": "recording"}],
    "routes": [{"min_severity": "high", "channels": ["ops"]}],
    "dedup_seconds": 0,
})  # fmt: skip


def test_forwarded_once_and_resumed_after_a_restart(ledger: Ledger) -> None:
    ledger.append_many([
        Event(action="gateway.alert", actor="gateway", outcome="alert", institution="m1",
              object=DataObject(api="patient.summary"), reasons=("response blocked",)),
        Event(action="gateway.call", actor="t", outcome="allow"),
        Event(action="governance.finding", actor="loop", outcome="alert",
              detail={"severity": "low", "subject": "token t1"}),
    ])  # fmt: skip
    first = RecordingChannel()
    assert forward_alerts(ledger, Notifier(ledger, SECTION, {"ops": first})) == 2  # type: ignore[dict-item]
    assert [(a.kind, a.severity, a.source_seq) for a in first.delivered] == [
        ("gateway.alert", "high", 1)
    ]  # the low finding is recorded as an alert, routed nowhere
    ledger.append(Event(action="alert.deny_burst", actor="monitor", outcome="alert"))
    again = RecordingChannel()
    assert forward_alerts(ledger, Notifier(ledger, SECTION, {"ops": again})) == 1  # type: ignore[dict-item]
    assert [a.kind for a in again.delivered] == ["alert.deny_burst"]
