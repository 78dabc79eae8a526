"""Batched ledger recording: nothing accepted is lost, even when a batch fails."""

from __future__ import annotations

import time
from pathlib import Path

from medshield.ledger import Ledger, open_ledger
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


class BatchSizes:
    """The real ledger (SQLite, a durable commit per batch), each batch's size noted."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.sizes: list[int] = []

    def append_many(self, events: list[Event]) -> object:
        self.sizes.append(len(events))
        return self.ledger.append_many(events)


def test_under_a_steady_stream_each_pass_writes_what_is_queued(tmp_path: Path) -> None:
    """The writer wakes every interval and commits what has gathered, not a few events at a
    time back to back (which cost a commit each)."""
    store = open_ledger(f"sqlite:///{tmp_path / 'store.db'}")
    ledger = BatchSizes(store)
    interval = 0.05
    sink = EventSink(ledger, interval=interval)
    started = time.monotonic()
    submitted = 0
    while time.monotonic() - started < 1.0:
        sink.submit(Event(action="gateway.call", actor=f"token:{submitted}"))
        submitted += 1
        time.sleep(0.0001)
    elapsed = time.monotonic() - started
    sink.close()
    assert sum(ledger.sizes) == submitted == store.head()[0]
    store.close()
    per_interval = submitted / (elapsed / interval)
    mean = submitted / len(ledger.sizes)
    assert mean >= per_interval / 3, (mean, per_interval, ledger.sizes[:20])
