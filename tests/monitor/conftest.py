"""A real ledger in a fresh SQLite store, and a way to write crafted event histories into it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest

from medshield.ledger import Event, Ledger, open_ledger

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def ledger(sqlite_url: str) -> Iterator[Ledger]:
    with open_ledger(sqlite_url) as opened:
        yield opened


History = Callable[..., None]


@pytest.fixture
def history(ledger: Ledger) -> History:
    """``history(n, seconds_ago, **event_fields)`` appends ``n`` events at that time."""

    def add(n: int, seconds_ago: float, **fields: object) -> None:
        when = NOW - timedelta(seconds=seconds_ago)
        ledger.append_many(
            [Event(at=when, **{"action": "api.call", "actor": "u", **fields}) for _ in range(n)]  # type: ignore[arg-type]
        )

    return add
