from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from medshield.detect.ip_address import IpAddressDetector


def test_v4_v6_and_masked() -> None:
    values: list[str | None] = [
        "192.168.1.10",
        "192.168.*.*",
        "2001:db8::1",
        "fe80::1ff:fe23:4567:890a",
    ]
    found = IpAddressDetector().detect(values)
    assert [(f.index, f.masked) for f in found] == [(0, False), (1, True), (2, False), (3, False)]


def test_near_misses() -> None:
    values: list[str | None] = ["1.2.3", "999.1.1.1", "10:30:00", "1.2.3.4.5", "*.*.*.*"]
    assert IpAddressDetector().detect(values) == []


@given(st.ip_addresses(v=4))
def test_every_v4_found(ip: object) -> None:
    [f] = IpAddressDetector().detect([f"来自 {ip} 的访问"])
    assert not f.masked
