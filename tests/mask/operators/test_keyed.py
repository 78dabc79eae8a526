"""The keyed hash: the vectorised column paths equal the one-value paths, which are the
standard library's HMAC and ``cryptography``'s CMAC."""

from __future__ import annotations

import base64
import hashlib
import hmac

import numpy as np
import polars as pl
import pytest
from cryptography.hazmat.primitives.ciphers import algorithms
from cryptography.hazmat.primitives.cmac import CMAC
from hypothesis import given
from hypothesis import strategies as st

from medshield.mask.operators.keyed import (
    ALGORITHMS,
    KeyedHash,
    base32_prefix,
    keyed_digests,
    normalised,
    prefixed_strings,
)

SECRET = b"alliance-secret-" * 2
TEXTS = st.lists(st.text(max_size=40), min_size=1, max_size=30)


def test_hmac_is_rfc_2104_under_the_hex_of_the_secret() -> None:
    expected = hmac.new(SECRET.hex().encode(), b"11010519491231002X", hashlib.sha256).digest()
    assert KeyedHash(SECRET).digest(b"11010519491231002X") == expected


def test_cmac_is_aes_cmac_under_the_derived_key() -> None:
    key = hmac.digest(SECRET, b"medshield aes-cmac key", "sha256")
    mac = CMAC(algorithms.AES(key))
    mac.update(b"11010519491231002X")
    assert KeyedHash(SECRET, "aes-cmac").digest(b"11010519491231002X") == mac.finalize()


@pytest.mark.parametrize("algorithm", ALGORITHMS)
@given(values=TEXTS)
def test_columns_equal_one_value_at_a_time(algorithm: str, values: list[str]) -> None:
    keyed = KeyedHash(SECRET, algorithm)  # type: ignore[arg-type]
    rows = keyed.digests(pl.Series(values, dtype=pl.String), keyed.size)
    assert [r.tobytes() for r in rows] == [keyed.digest(v.encode()) for v in values]


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_every_length_around_the_block_boundaries(algorithm: str) -> None:
    keyed = KeyedHash(SECRET, algorithm)  # type: ignore[arg-type]
    values = ["x" * n for n in range(50)] + ["身份证" * n for n in range(6)]
    rows = keyed.digests(pl.Series(values), keyed.size)
    assert [r.tobytes() for r in rows] == [keyed.digest(v.encode()) for v in values]


@pytest.mark.parametrize("algorithm", ALGORITHMS)
@given(values=TEXTS, salt=st.sampled_from(["", "date_shift\x1f"]))
def test_normalised_digests_mix_ascii_and_other_values(
    algorithm: str, values: list[str], salt: str
) -> None:
    keyed = KeyedHash(SECRET, algorithm)  # type: ignore[arg-type]
    rows = keyed_digests(keyed, pl.Series(values, dtype=pl.String), 8, salt)
    expected = [keyed.digest((salt + normalised(v)).encode())[:8] for v in values]
    assert [r.tobytes() for r in rows] == expected


def test_normalising_strips_spaces_and_upper_cases() -> None:
    assert normalised(" 11010519491231002x\u3000") == "11010519491231002X"


@given(digests=st.lists(st.binary(min_size=32, max_size=32), min_size=1, max_size=20))
def test_base32_prefix_is_rfc_4648(digests: list[bytes]) -> None:
    matrix = np.frombuffer(b"".join(digests), dtype=np.uint8).reshape(-1, 32)
    for length in (8, 16, 25, 52):
        got = [v.decode() for v in base32_prefix(matrix, length)]
        assert got == [base64.b32encode(d).decode()[:length] for d in digests]


def test_prefixed_strings() -> None:
    body = np.array([b"ABCD", b"EFGH"], dtype="S4")
    assert prefixed_strings("p", "k1:P", body).to_list() == ["k1:PABCD", "k1:PEFGH"]


def test_a_digest_wider_than_the_algorithm_is_refused() -> None:
    with pytest.raises(ValueError, match="16 bytes"):
        KeyedHash(SECRET, "aes-cmac").digests(pl.Series(["a"]), 17)
