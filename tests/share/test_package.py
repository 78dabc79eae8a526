from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medshield.errors import (
    InputError,
    PackageExpiredError,
    PackageFormatError,
    PackageKeyError,
    ShareError,
)
from medshield.share import describe, open_package, pack

ALICE, BOB, EVE = (X25519PrivateKey.generate() for _ in range(3))
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def _pack(alg: str = "aes-256-gcm", content: bytes = "门诊统计,1\n".encode()) -> bytes:
    return pack(
        {"h1-office": content, "h2-office": content + b"x"},
        {"h1-office": ALICE.public_key(), "h2-office": BOB.public_key()},
        filename="stats.csv", expires_at=NOW + timedelta(days=7), sender="secadmin-01",
        alg=alg, now=NOW,
    )  # fmt: skip


@pytest.mark.parametrize("alg", ["aes-256-gcm", "sm4-gcm"])
def test_each_recipient_opens_its_own_copy(alg: str) -> None:
    data = _pack(alg)
    assert open_package(data, ALICE, now=NOW).content == "门诊统计,1\n".encode()
    opened = open_package(data, BOB, now=NOW + timedelta(days=6))
    assert (opened.recipient, opened.content[-1:]) == ("h2-office", b"x")
    info = describe(data)
    assert info["alg"] == alg and info["recipients"] == ["h1-office", "h2-office"]


def test_wrong_key_is_refused() -> None:
    with pytest.raises(PackageKeyError) as info:
        open_package(_pack(), EVE, now=NOW)
    assert info.value.code == "MS952"


def test_after_expiry_is_refused() -> None:
    with pytest.raises(PackageExpiredError) as info:
        open_package(_pack(), ALICE, now=NOW + timedelta(days=7))
    assert info.value.code == "MS953"


def test_not_a_package_and_bad_arguments() -> None:
    with pytest.raises(PackageFormatError):
        open_package(b"PK\x03\x04 a zip file", ALICE)
    with pytest.raises(InputError):
        pack(
            {"a": b""}, {"a": ALICE.public_key()}, filename="f", expires_at=NOW, sender="s", now=NOW
        )


DATA = {alg: _pack(alg) for alg in ("aes-256-gcm", "sm4-gcm")}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(alg=st.sampled_from(sorted(DATA)), where=st.floats(0, 1, exclude_max=True),
       flip=st.integers(1, 255))  # fmt: skip
def test_any_changed_byte_is_refused_with_a_code(alg: str, where: float, flip: int) -> None:
    data = bytearray(DATA[alg])
    i = int(where * len(data))
    data[i] ^= flip
    for key in (ALICE, BOB):
        with pytest.raises(ShareError) as info:
            open_package(bytes(data), key, now=NOW)
        assert info.value.code.startswith("MS95")


@pytest.mark.parametrize("alg", sorted(DATA))
def test_every_single_byte_position_is_covered(alg: str) -> None:
    """Exhaustive over positions (one flip each): nothing opens once any byte changed."""
    original = DATA[alg]
    for i in range(len(original)):
        data = bytearray(original)
        data[i] ^= 0x01
        with pytest.raises(ShareError):
            open_package(bytes(data), ALICE, now=NOW)


def test_truncated_or_extended_is_refused() -> None:
    data = DATA["aes-256-gcm"]
    for bad in (data[:-1], data + b"\0", data[:20]):
        with pytest.raises(ShareError):
            open_package(bad, ALICE, now=NOW)


def test_a_rebuilt_header_with_a_fixed_digest_is_still_refused() -> None:
    """An attacker who rewrites the header and recomputes the body digest cannot pass the AEAD."""
    import hashlib
    import json

    from medshield.share.package import MAGIC, canonical

    data = DATA["aes-256-gcm"]
    size = int.from_bytes(data[len(MAGIC) : len(MAGIC) + 4], "big")
    header = json.loads(data[len(MAGIC) + 4 : len(MAGIC) + 4 + size])
    body = data[len(MAGIC) + 4 + size :]
    header["expires_at"] = (NOW + timedelta(days=365)).isoformat()
    header["recipients"][0]["offset"] = "0"
    for changed in (
        header,
        {
            **header,
            "recipients": [{**header["recipients"][0], "offset": 0}, header["recipients"][1]],
        },
    ):
        changed["body_sha256"] = hashlib.sha256(body).hexdigest()
        head = canonical(changed)
        forged = MAGIC + len(head).to_bytes(4, "big") + head + body
        with pytest.raises(ShareError):
            open_package(forged, ALICE, now=NOW)
