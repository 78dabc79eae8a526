"""Sliding windows of event times per key, bounded so memory stays flat on a long follow.

A key's window ends at its latest event. Log time mostly goes forward, but not always: the
lines of two servers interleaved come a little out of order, and a log read after a newer one
(a rotated file, another host's) goes back by hours. An event a little late (within its key's
window) is counted in that window, as at the key's latest time (so it may stay in it by its
lateness longer); one earlier than the whole window starts the window again there, as a new
log would. Either way a window holds no more than one window of time.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import deque
from datetime import datetime


class SlidingCounts:
    """For each key, the times of its events within the last ``seconds`` (more than 0)."""

    def __init__(self, seconds: float, max_keys: int = 100_000) -> None:
        self.seconds = seconds
        self.max_keys = max_keys
        self._times: dict[str, deque[float]] = {}  # each sorted, never empty
        # The last time given and its seconds: an event is added under several keys, and the
        # lines of one second share one datetime (sources cache their stamps).
        self._at: datetime | None = None
        self._now = 0.0

    def add(self, key: str, at: datetime | None) -> int:
        """Record one event of ``key`` at ``at``; the count in the key's window."""
        if at is self._at:
            now = self._now
        else:
            now = self._now = at.timestamp() if at else 0.0
            self._at = at
        times = self._times.get(key)
        if times is None:
            if len(self._times) >= self.max_keys:
                self._evict(now)
            self._times[key] = deque((now,))
            return 1
        latest = times[-1]
        if now >= latest:  # in order: most events
            times.append(now)
            cut = now - self.seconds
            while times[0] <= cut:
                times.popleft()
        elif now > latest - self.seconds:  # a little late: inside the key's window
            times.append(latest)  # kept sorted without a search through a long window
        else:  # before the key's whole window: it starts again
            times.clear()
            times.append(now)
        return len(times)

    def count(self, key: str, at: datetime | None = None) -> int:
        """The events of ``key`` in its window; with ``at``, only those less than a window
        away from ``at`` (a success hours after failures does not count them)."""
        times = self._times.get(key)
        if not times:
            return 0
        if at is None:
            return len(times)
        now = at.timestamp()
        return bisect_left(times, now + self.seconds) - bisect_right(times, now - self.seconds)

    def reset(self, key: str) -> None:
        self._times.pop(key, None)

    def state(self) -> dict[str, list[float]]:
        """The times still inside the window of the last one given (what a restart must not
        lose); the windows of keys ahead of it (a log read after a newer one) are kept whole."""
        cut = self._now - self.seconds
        return {k: [x for x in t if x > cut] for k, t in self._times.items() if t[-1] > cut}

    def restore(self, state: dict[str, list[float]]) -> None:
        self._times = {k: deque(sorted(v)) for k, v in state.items() if v}
        self._at = None
        self._now = max((t[-1] for t in self._times.values()), default=0.0)

    def _evict(self, now: float) -> None:
        """At ``max_keys``: the keys whose window is more than a window away from ``now``
        (behind it, or ahead of it after time went back), else the older half."""
        seconds = self.seconds
        stale = [k for k, t in self._times.items() if abs(t[-1] - now) >= seconds]
        for key in stale or list(self._times)[: self.max_keys // 2]:
            del self._times[key]
