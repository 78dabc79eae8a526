"""The caller's address behind trusted proxies, and request signatures."""

from __future__ import annotations

import time

import pytest

from medshield.errors import SignatureError, SourceAddressError
from medshield.policy import load_bundle
from medshield.service.caller import (
    check_address,
    check_signature,
    client_address,
    parse_networks,
    request_signature,
)

PROXIES = parse_networks("127.0.0.1, 10.99.0.0/24")


@pytest.mark.parametrize(
    ("peer", "header", "expected"),
    [
        ("127.0.0.1", None, "127.0.0.1"),
        ("127.0.0.1", "10.11.0.5", "10.11.0.5"),
        ("127.0.0.1", "10.11.0.5, 10.99.0.7", "10.11.0.5"),  # the next proxy is trusted too
        ("127.0.0.1", "10.11.0.5, 203.0.113.9", "203.0.113.9"),  # the client's own claim
        ("203.0.113.9", "10.11.0.5", "203.0.113.9"),  # not a proxy: the header is ignored
        ("127.0.0.1", "not-an-address", "not-an-address"),  # then refused by the allow-list
        ("127.0.0.1", "10.99.0.7, 127.0.0.1", "127.0.0.1"),  # only proxies: the peer
    ],
)
def test_client_address(peer: str, header: str | None, expected: str) -> None:
    assert client_address(peer, header, PROXIES) == expected


def test_allow_list_and_malformed_addresses() -> None:
    bundle = load_bundle()
    check_address(bundle, "m1", "10.11.3.4")
    for address in ("10.12.0.1", "not-an-address", "", "::1"):
        with pytest.raises(SourceAddressError):
            check_address(bundle, "m1", address)
    with pytest.raises(SourceAddressError):
        check_address(bundle, "no-such-institution", "10.11.3.4")


def test_signatures() -> None:
    now = str(int(time.time()))
    sig = request_signature("s3cret", "POST", "/a?b=1", now, b"{}")
    check_signature("s3cret", "post", "/a?b=1", now, sig.upper(), b"{}")
    for args in (
        ("other", "POST", "/a?b=1", now, sig, b"{}"),
        ("s3cret", "POST", "/a?b=2", now, sig, b"{}"),
        ("s3cret", "POST", "/a?b=1", now, sig, b"{ }"),
        ("s3cret", "POST", "/a?b=1", "soon", sig, b"{}"),
        ("s3cret", "POST", "/a?b=1", None, sig, b"{}"),
    ):
        with pytest.raises(SignatureError):
            check_signature(*args)  # type: ignore[arg-type]
