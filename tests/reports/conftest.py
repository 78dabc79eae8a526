"""Fixtures of the report tests: the default policy and a ledger holding the known history."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from medshield.ledger import Ledger, open_ledger
from medshield.policy import PolicyBundle, load_bundle

from .history import KNOWN


@pytest.fixture
def bundle() -> PolicyBundle:
    return load_bundle()


@pytest.fixture
def ledger(sqlite_url: str) -> Iterator[Ledger]:
    with open_ledger(sqlite_url) as opened:
        opened.append_many(KNOWN)
        yield opened
