"""The canonical form: sorted keys, UTF-8, no whitespace; and the link hash."""

from __future__ import annotations

import json
from datetime import UTC

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medshield.errors import LedgerError
from medshield.ledger import DataObject, Event
from medshield.ledger.canonical import (
    GENESIS,
    Linker,
    canonical_body,
    canonical_json,
    digest_function,
    from_us,
    to_us,
)

keys = st.text(min_size=1, max_size=6)
leaves = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=8)
    | st.floats(allow_nan=False, allow_infinity=False)
)
details = st.dictionaries(
    keys,
    st.recursive(
        leaves,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3),
        max_leaves=8,
    ),
    max_size=5,
)


@given(
    detail=details,
    actor=st.text(min_size=1, max_size=10),
    table=st.none() | st.text(max_size=10),
    at=st.datetimes(timezones=st.just(UTC)),
)
def test_pydantic_json_is_the_canonical_form(
    detail: dict[str, object], actor: str, table: str | None, at: object
) -> None:
    event = Event(
        action="api.call", actor=actor, object=DataObject(table=table), detail=detail, at=at
    )  # type: ignore[arg-type]
    body = canonical_body(event)
    parsed = json.loads(body)
    assert parsed == event.model_dump(mode="json")
    assert _keys_sorted(parsed)
    assert Event.model_validate_json(body) == event
    assert canonical_body(Event.model_validate_json(body)) == body  # stable when read back
    if not _has_float(parsed):  # floats: pydantic writes 1e-08 as 1e-8, json as 1e-08
        assert body == canonical_json(parsed)


def _keys_sorted(value: object) -> bool:
    if isinstance(value, dict):
        return list(value) == sorted(value) and all(_keys_sorted(v) for v in value.values())
    if isinstance(value, list):
        return all(_keys_sorted(v) for v in value)
    return True


def _has_float(value: object) -> bool:
    if isinstance(value, dict):
        return any(_has_float(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_float(v) for v in value)
    return isinstance(value, float)


def test_canonical_body_is_compact_utf8() -> None:
    body = canonical_body(Event(action="api.call", actor="u1", detail={"诊断": "癌症", "a": 1}))
    assert "诊断" in body and "\\u" not in body
    assert ": " not in body and ", " not in body
    assert list(json.loads(body)) == sorted(json.loads(body))


@given(st.integers(min_value=0, max_value=4_000_000_000_000_000))
def test_microsecond_clock_round_trips(at_us: int) -> None:
    assert to_us(from_us(at_us)) == at_us


def test_link_covers_every_part() -> None:
    linker = Linker("sha256")
    base = linker.record_hash(1, GENESIS, 5, "api.call", "{}")
    assert base != linker.record_hash(2, GENESIS, 5, "api.call", "{}")
    assert base != linker.record_hash(1, "1" * 64, 5, "api.call", "{}")
    assert base != linker.record_hash(1, GENESIS, 6, "api.call", "{}")
    assert base != linker.record_hash(1, GENESIS, 5, "api.view", "{}")
    assert base != linker.record_hash(1, GENESIS, 5, "api.call", "[]")


# SM3 of "abc", the example of GB/T 32905-2016 (appendix A.1)
SM3_ABC = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_each_hash_gives_its_standard_digest() -> None:
    import hashlib

    assert digest_function("sha256")(b"abc") == hashlib.sha256(b"abc").hexdigest()
    assert digest_function("sm3")(b"abc") == SM3_ABC
    sm3 = digest_function("sm3")
    assert sm3(b"abc") == sm3(b"abc") == SM3_ABC  # the copied state is not consumed
    if "sm3" in hashlib.algorithms_available:  # OpenSSL's SM3 is used when it has one
        assert sm3.__name__ == "sm3_openssl"


def test_sm3_without_openssl_comes_from_cryptography(monkeypatch: pytest.MonkeyPatch) -> None:
    import hashlib

    monkeypatch.setattr(hashlib, "algorithms_available", hashlib.algorithms_available - {"sm3"})
    sm3 = digest_function("sm3")
    assert sm3.__name__ == "sm3"
    assert sm3(b"abc") == sm3(b"abc") == SM3_ABC


def test_an_unknown_hash_is_a_ledger_error_naming_the_known_ones() -> None:
    with pytest.raises(LedgerError) as unknown:
        digest_function("md5")
    assert unknown.value.message == "unknown ledger hash 'md5'; known: sha256, sm3"


@pytest.mark.parametrize("alg", ["sha256", "sm3"])
def test_the_link_formula_of_docs_ledger_md(alg: str) -> None:
    """A known-answer test of the documented formula, computed here without ``Linker``."""
    import hashlib

    def h(data: bytes) -> str:
        return hashlib.new(alg, data).hexdigest()

    body = '{"action":"api.call","actor":"张医生"}'
    linker = Linker(alg)
    assert linker.alg == alg
    assert linker.body_digest(body) == h(body.encode("utf-8"))
    expected = h(f"7|{GENESIS}|1700000000000000|api.call|{h(body.encode())}".encode())
    assert linker.record_hash(7, GENESIS, 1_700_000_000_000_000, "api.call", body) == expected
