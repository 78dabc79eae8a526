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
