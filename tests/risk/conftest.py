"""A fresh ledger in a temporary SQLite store, and the default policy."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from medshield.ledger import Ledger, open_ledger
from medshield.policy import PolicyBundle, load_bundle


@pytest.fixture
def ledger(sqlite_url: str) -> Iterator[Ledger]:
    with open_ledger(sqlite_url) as opened:
        yield opened


@pytest.fixture(scope="session")
def bundle() -> PolicyBundle:
    return load_bundle()
