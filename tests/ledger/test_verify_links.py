"""The link check of ``verify`` and the link formula of docs/ledger.md, each on its own."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable

import pytest

from medshield.ledger import Event, open_ledger
from medshield.ledger.canonical import GENESIS, Linker, canonical_json, digest_function, to_us

Events = Callable[..., list[Event]]


def test_a_rehashed_record_is_caught_by_its_link_without_a_checkpoint(
    sqlite_url: str, events: Events
) -> None:
    """Catches the mutation that drops the link check (``prev_hash`` against the record
    before) in ``ledger/verify.py``: with checkpoints far apart, nothing else sees a record that
    was edited and given a fresh, self-consistent hash."""
    with open_ledger(sqlite_url, checkpoint_every=1000, checkpoint_seconds=1e9) as ledger:
        ledger.append_many(events(8))
        assert [cp.seq for cp in ledger.checkpoints()] == []
        four = next(ledger.raw_records(4, 4))
        body = four.body.replace("血小板", "红细胞")
        forged = Linker(ledger.hash_alg).record_hash(
            4, four.prev_hash, four.at_us, four.action, body
        )
        with sqlite3.connect(sqlite_url.removeprefix("sqlite:///")) as conn:
            conn.execute(
                "UPDATE ledger_records SET body = ?, hash = ? WHERE seq = 4", (body, forged)
            )
        report = ledger.verify()
        assert not report.ok
        assert report.first_bad_seq == 5
        assert report.problem == "record 5 does not follow record 4 (inserted or moved)"
        ledger.close(checkpoint=False)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_the_link_formula_of_the_docs_by_hashlib(sqlite_url: str, events: Events) -> None:
    """A known-answer test of ``hash = H("{seq}|{prev_hash}|{at_us}|{action}|{H(body)}")``,
    computed with hashlib from the stored fields, not with ``Linker``. Catches a mutation of
    ``Linker.link`` (fields swapped, a separator changed, the body hashed differently) that
    writing and verifying would otherwise share without noticing."""
    batch = events(3)
    with open_ledger(sqlite_url, hash_alg="sha256") as ledger:
        ledger.append_many(batch)
        records = list(ledger.raw_records())
    prev = "0" * 64
    assert prev == GENESIS
    for seq, (record, event) in enumerate(zip(records, batch, strict=True), start=1):
        assert record.seq == seq
        assert record.prev_hash == prev
        assert record.at_us == int(event.at.timestamp()) * 1_000_000 + event.at.microsecond
        assert record.action == "api.call"
        expected = _sha256(f"{seq}|{prev}|{record.at_us}|api.call|{_sha256(record.body)}")
        assert record.hash == expected
        prev = expected


def test_the_link_formula_on_fixed_values() -> None:
    """The same formula on fixed values, so the bytes hashed are pinned exactly."""
    body = '{"action":"api.call","actor":"张三"}'
    expected = hashlib.sha256(
        ("7|" + "ab" * 32 + "|1700000000000001|api.call|").encode()
        + hashlib.sha256(body.encode("utf-8")).hexdigest().encode()
    ).hexdigest()
    assert Linker("sha256").record_hash(7, "ab" * 32, 1_700_000_000_000_001, "api.call", body) == (
        expected
    )


def test_canonical_json_sorts_keys_and_keeps_chinese() -> None:
    assert canonical_json({"b": [1, {"d": 2, "c": 3}], "a": "张三"}) == (
        '{"a":"张三","b":[1,{"c":3,"d":2}]}'
    )


def test_checkpoints_signed_by_an_untrusted_key_fail_verify(
    sqlite_url: str, events: Events
) -> None:
    """A trusted key given: checkpoints it did not sign are named, with the signer's key."""
    with open_ledger(sqlite_url, checkpoint_every=2) as ledger:
        ledger.append_many(events(4))
        own = ledger.signer.public_key_hex()
        assert ledger.verify(trusted_key=own).ok
        other = "ab" * 32
        report = ledger.verify(trusted_key=other)
        first = ledger.checkpoints()[0]
        assert not report.ok and not report.checkpoints_ok
        assert report.problem == (
            f"checkpoint {first.seq} is signed by an untrusted key {own[:16]}..."
        )


def test_sm3_known_answer_by_openssl_and_by_cryptography(monkeypatch: pytest.MonkeyPatch) -> None:
    """GB/T 32905 example 1: SM3("abc"), by whichever library computes it."""
    expected = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    sm3 = digest_function("sm3")
    assert sm3(b"abc") == expected
    assert sm3(b"abc") == expected  # each call starts from a fresh copy of the empty state
    monkeypatch.setattr(hashlib, "algorithms_available", set(), raising=True)
    assert digest_function("sm3")(b"abc") == expected


def test_a_naive_time_is_taken_as_utc() -> None:
    from datetime import UTC, datetime

    aware = datetime(2026, 3, 1, 8, 0, 0, 1, tzinfo=UTC)
    assert to_us(aware.replace(tzinfo=None)) == to_us(aware) == 1_772_352_000_000_001
