"""State shared by gateway processes: one-time codes, sessions, counters (R21, R34).

In process by default; Redis by URL when several gateway processes run. Rate limits use the
``limits`` library's storage of the same URL (``limits_storage``).
"""

from __future__ import annotations

import threading
import time
from typing import Protocol

from limits.storage import MemoryStorage, Storage, storage_from_string

from medshield.errors import ConfigError, ServiceUnavailableError


class SharedState(Protocol):
    def put(self, key: str, value: str, ttl: float) -> None: ...

    def get(self, key: str) -> str | None: ...

    def get_many(self, keys: list[str]) -> list[str | None]:
        """The values of ``keys`` in one step (one round trip to Redis)."""
        ...

    def take(self, key: str) -> str | None:
        """The value, removed in the same step (single use)."""
        ...

    def incr(self, key: str, ttl: float) -> int:
        """Add one to a counter that lives ``ttl`` seconds from its first use; the new count."""
        ...


class MemoryState:
    """Shared state of one process."""

    def __init__(self) -> None:
        self._values: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def put(self, key: str, value: str, ttl: float) -> None:
        with self._lock:
            self._values[key] = (value, time.monotonic() + ttl)

    def _live(self, key: str) -> str | None:
        found = self._values.get(key)
        if found is None:
            return None
        if found[1] <= time.monotonic():
            del self._values[key]
            return None
        return found[0]

    def get(self, key: str) -> str | None:
        with self._lock:
            return self._live(key)

    def get_many(self, keys: list[str]) -> list[str | None]:
        with self._lock:
            return [self._live(key) for key in keys]

    def take(self, key: str) -> str | None:
        with self._lock:
            value = self._live(key)
            self._values.pop(key, None)
            return value

    def incr(self, key: str, ttl: float) -> int:
        with self._lock:
            current = self._live(key)
            count = int(current or 0) + 1
            expiry = self._values[key][1] if current is not None else time.monotonic() + ttl
            self._values[key] = (str(count), expiry)
            return count


class RedisState:
    """Shared state in Redis: every gateway process pointed at the same URL sees it."""

    def __init__(self, url: str) -> None:
        import redis

        self._redis = redis.Redis.from_url(url, decode_responses=True)
        try:
            self._redis.ping()
        except redis.RedisError as exc:
            raise ServiceUnavailableError(f"Redis unreachable: {exc}", where=url) from None

    def put(self, key: str, value: str, ttl: float) -> None:
        self._redis.set(key, value, px=max(1, int(ttl * 1000)))

    def get(self, key: str) -> str | None:
        value = self._redis.get(key)
        return None if value is None else str(value)

    def get_many(self, keys: list[str]) -> list[str | None]:
        return [None if v is None else str(v) for v in self._redis.mget(keys)]

    def take(self, key: str) -> str | None:
        value = self._redis.getdel(key)
        return None if value is None else str(value)

    def incr(self, key: str, ttl: float) -> int:
        pipe = self._redis.pipeline()
        pipe.incr(key)
        pipe.pexpire(key, max(1, int(ttl * 1000)), nx=True)
        count, _ = pipe.execute()
        return int(count)


def open_state(url: str | None) -> SharedState:
    return RedisState(url) if url else MemoryState()


class SweptMemoryStorage(MemoryStorage):
    """``limits``' memory storage with expired counters swept inline, at most once a second.

    The stock one starts a timer thread every 10 ms while it is hit; each start waits for the
    new thread to run, a hand-off of the interpreter lock that cost more than the rest of a
    gateway call. Counters still expire on read (``get`` checks the expiry)."""

    SWEEP_SECONDS = 1.0

    def __init__(self) -> None:
        super().__init__()
        self.timer.cancel()
        self._next_sweep = 0.0

    def _MemoryStorage__schedule_expiry(self) -> None:  # noqa: N802 - overrides the mangled name
        now = time.time()
        if now >= self._next_sweep:
            self._next_sweep = now + self.SWEEP_SECONDS
            self._MemoryStorage__expire_events()  # type: ignore[attr-defined]


def limits_storage(url: str | None) -> Storage:
    """The ``limits`` storage: in memory, or Redis at ``url``."""
    if not url:
        return SweptMemoryStorage()
    storage = storage_from_string(url)
    if not isinstance(storage, Storage):  # an async storage URL (async+redis://)
        raise ConfigError(f"not a synchronous limits storage: {url}", where="state URL")
    return storage
