"""Sliding windows of event times per key, bounded so memory stays flat on a long follow."""

from __future__ import annotations

from collections import deque
from datetime import datetime


class SlidingCounts:
    """For each key, the times of its events within the last ``seconds``."""

    def __init__(self, seconds: float, max_keys: int = 100_000) -> None:
        self.seconds = seconds
        self.max_keys = max_keys
        self._times: dict[str, deque[float]] = {}
        # The last time given and its seconds: an event is added under several keys, and the
        # lines of one second share one datetime (sources cache their stamps).
        self._at: datetime | None = None
        self._now = 0.0

    def add(self, key: str, at: datetime | None) -> int:
        """Record one event of ``key`` at ``at``; the count in the window ending there."""
        if at is self._at:
            now = self._now
        else:
            now = self._now = at.timestamp() if at else 0.0
            self._at = at
        times = self._times.get(key)
        if times is None:
            if len(self._times) >= self.max_keys:
                self._evict(now)
            times = self._times[key] = deque()
        times.append(now)
        cut = now - self.seconds
        while times and times[0] <= cut:
            times.popleft()
        return len(times)

    def count(self, key: str) -> int:
        times = self._times.get(key)
        return len(times) if times else 0

    def reset(self, key: str) -> None:
        self._times.pop(key, None)

    def state(self) -> dict[str, list[float]]:
        """The times still inside the window of the latest one (what a restart must not lose)."""
        latest = max((t[-1] for t in self._times.values() if t), default=0.0)
        cut = latest - self.seconds
        return {k: [x for x in t if x > cut] for k, t in self._times.items() if t and t[-1] > cut}

    def restore(self, state: dict[str, list[float]]) -> None:
        self._times = {k: deque(v) for k, v in state.items()}

    def _evict(self, now: float) -> None:
        stale = [k for k, t in self._times.items() if not t or t[-1] <= now - self.seconds]
        for key in stale or list(self._times)[: self.max_keys // 2]:
            del self._times[key]
