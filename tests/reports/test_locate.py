"""Addresses to registered locations: inside an institution's CIDR, or unknown."""

from __future__ import annotations

import pytest

from medshield.policy import load_bundle
from medshield.reports.locate import Locator


@pytest.mark.parametrize(
    ("address", "institution"),
    [
        ("10.11.0.9", "m1"), ("10.11.15.255", "m1"), ("10.11.16.0", None), ("10.1.200.3", "h1"),
        ("203.0.113.7", None), ("::1", None), ("10.1.0.256", None), ("not an ip", None),
        ("", None), (None, None), ("010.1.0.1", None),
    ],
)  # fmt: skip
def test_locate(address: str | None, institution: str | None) -> None:
    found = Locator(load_bundle().institutions).locate(address)
    assert (found.id if found else None) == institution
