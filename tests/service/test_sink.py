"""Batched ledger recording: nothing accepted is lost, even when a batch fails."""

from __future__ import annotations

from medshield.ledger.events import Event
from medshield.service.sink import EventSink


class FlakyLedger:
    def __init__(self, fail_times: int) -> None:
        self.fail_times = fail_times
        self.rows: list[Event] = []
        self.batches = 0

    def append_many(self, events: list[Event]) -> None:
        self.batches += 1
        if self.fail_times:
            self.fail_times -= 1
            raise OSError("store unreachable")
        self.rows.extend(events)


def test_every_submitted_event_is_written_once_in_batches() -> None:
    ledger = FlakyLedger(fail_times=1)
    sink = EventSink(ledger, interval=0.01)
    events = [Event(action="gateway.call", actor=f"token:{i}") for i in range(2000)]
    for event in events:
        sink.submit(event)
    sink.close()
    assert [e.actor for e in ledger.rows] == [e.actor for e in events]
    assert ledger.batches < len(events) / 10
    sink.submit(Event(action="gateway.call", actor="late"))  # after close: written directly
    assert ledger.rows[-1].actor == "late"
