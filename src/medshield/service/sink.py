"""Recording every call in the ledger off the request path (R24).

``submit`` queues an event and returns at once; a writer thread appends what is queued in one
transaction per batch. An accepted event is never dropped: a failed batch is retried, and
``close`` drains the queue before it returns.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from typing import Protocol

from medshield.errors import LedgerError
from medshield.ledger.events import Event

log = logging.getLogger(__name__)
BATCH = 500
CLOSE_ATTEMPTS = 5


class BatchAppender(Protocol):
    def append_many(self, events: list[Event]) -> object: ...


class EventSink:
    def __init__(self, ledger: BatchAppender, *, interval: float = 0.05) -> None:
        self.ledger = ledger
        self.interval = interval
        self.written = 0
        self._queue: deque[Event] = deque()
        self._wake = threading.Condition()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="ledger-sink", daemon=True)
        self._thread.start()

    def submit(self, event: Event) -> None:
        if self._closed:
            self.ledger.append_many([event])  # after close: written in the caller, not lost
            self.written += 1
            return
        self._queue.append(event)

    def pending(self) -> int:
        return len(self._queue)

    def flush(self, timeout: float = 10.0) -> None:
        """Wait until everything submitted so far is in the ledger."""
        deadline = time.monotonic() + timeout
        while self._queue and time.monotonic() < deadline:
            with self._wake:
                self._wake.notify()
            time.sleep(0.005)

    def close(self) -> None:
        """Stop the writer and write what is left (retried; raises if the ledger stays down)."""
        self._closed = True
        with self._wake:
            self._wake.notify()
        self._thread.join()
        for attempt in range(CLOSE_ATTEMPTS):
            if self._drain():
                return
            time.sleep(0.2 * (attempt + 1))
        raise LedgerError(f"{len(self._queue)} gateway events could not be written", where="ledger")

    def _run(self) -> None:
        while not self._closed:
            if len(self._queue) < BATCH:  # a full batch waiting is written at once
                with self._wake:
                    self._wake.wait(self.interval)
            # What is queued now, not what arrives meanwhile: under load the writer would
            # otherwise commit a handful of events at a time, back to back.
            if not self._drain(len(self._queue)):
                time.sleep(0.5)  # the ledger is down: kept and retried

    def _drain(self, count: int | None = None) -> bool:
        """Write the first ``count`` queued events (all, when None) in batches; False when a
        batch failed (it stays queued)."""
        while self._queue and (count is None or count > 0):
            size = min(BATCH, len(self._queue), BATCH if count is None else count)
            batch = [self._queue[i] for i in range(size)]
            try:
                self.ledger.append_many(batch)
            except Exception:  # noqa: BLE001 - kept and retried: an accepted event is not lost
                log.warning("ledger batch of %d events failed; kept for a retry", len(batch))
                return False
            for _ in batch:
                self._queue.popleft()
            self.written += size
            if count is not None:
                count -= size
        return True
