"""Shared gateway state behaves the same in process and in Redis."""

from __future__ import annotations

import time
import uuid

import pytest

from medshield.service.state import MemoryState, RedisState, SharedState


@pytest.mark.parametrize("make", [MemoryState, lambda: RedisState("redis://127.0.0.1:6379/0")])
def test_put_take_incr_expire(make: type[SharedState]) -> None:
    state = make()
    key = f"test:{uuid.uuid4().hex}"
    state.put(key, "v", 0.3)
    assert state.get(key) == "v"
    assert state.take(key) == "v" and state.take(key) is None
    assert [state.incr(key + ":n", 0.3) for _ in range(3)] == [1, 2, 3]
    state.put(key, "w", 0.2)
    time.sleep(0.35)
    assert state.get(key) is None and state.incr(key + ":n", 1) == 1


def test_the_memory_rate_storage_starts_no_thread_and_still_expires() -> None:
    import threading

    from limits import RateLimitItemPerSecond
    from limits.strategies import FixedWindowRateLimiter

    from medshield.service.state import SweptMemoryStorage

    storage = SweptMemoryStorage()
    limiter = FixedWindowRateLimiter(storage)
    item = RateLimitItemPerSecond(3)
    before = threading.active_count()
    assert [limiter.hit(item, "k") for _ in range(4)] == [True, True, True, False]
    assert threading.active_count() == before
    time.sleep(1.1)
    assert limiter.hit(item, "k")  # the window passed: the counter expired
    storage.incr("old", 0.01)
    time.sleep(0.05)
    storage._next_sweep = 0.0  # a second has passed, as far as the sweep knows
    storage.incr("new", 10)  # sweeps: the expired counter is gone from the store itself
    assert "old" not in storage.storage and storage.storage["new"] == 1
