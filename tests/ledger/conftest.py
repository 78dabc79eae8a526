"""Helpers shared by the ledger tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from medshield.ledger import DataObject, Event

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def make_events(n: int, *, start: int = 0, action: str = "api.call") -> list[Event]:
    """``n`` distinct events, one a second from T0, with Chinese text in them."""
    return [
        Event(
            action=action,
            actor=f"doctor_{i % 7:04d}",
            institution="渝州大学附属第一医院",
            object=DataObject(source="his_a", table="门诊处方", columns=("诊断",)),
            rows=i,
            detail={"诊断": "免疫性血小板减少症", "i": i},
            at=T0 + timedelta(seconds=i),
        )
        for i in range(start, start + n)
    ]


@pytest.fixture
def events() -> Callable[..., list[Event]]:
    """The ``make_events`` factory."""
    return make_events


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def ledger_url(request: pytest.FixtureRequest) -> str:
    """A fresh store: a SQLite file, and a new database on the real PostgreSQL."""
    return str(request.getfixturevalue(f"{request.param}_url"))
