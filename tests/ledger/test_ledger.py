"""Appending, reading and verifying on SQLite and the real PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from medshield.errors import LedgerError, SensitivePayloadError
from medshield.ledger import Event, open_ledger
from medshield.ledger.canonical import GENESIS, Linker

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
Events = Callable[..., list[Event]]


def test_append_read_verify(ledger_url: str, events: Events) -> None:
    with open_ledger(ledger_url, checkpoint_every=10) as ledger:
        assert ledger.head() == (0, GENESIS)
        first = ledger.append(events(1)[0])
        receipts = []
        for start in range(1, 25, 6):
            receipts += ledger.append_many(events(6, start=start))
        assert first.seq == 1
        assert [r.seq for r in receipts] == list(range(2, 26))
        assert ledger.head() == (25, receipts[-1].hash)
        records = list(ledger.records())
        assert [r.seq for r in records] == list(range(1, 26))
        assert records[0].prev_hash == GENESIS
        assert all(b.prev_hash == a.hash for a, b in zip(records, records[1:], strict=False))
        assert records[3].event.detail["诊断"] == "免疫性血小板减少症"
        assert records[3].event.institution == "渝州大学附属第一医院"
        report = ledger.verify()
        assert report.ok and report.checked == 25 and report.checkpoints_ok
        assert [c.seq for c in ledger.checkpoints()] == [13, 25]  # every 10 records, per batch


def test_records_filters(ledger_url: str, events: Events) -> None:
    with open_ledger(ledger_url) as ledger:
        ledger.append_many(events(10) + events(5, start=10, action="api_x.call"))
        got = [r.seq for r in ledger.records(start_seq=3, end_seq=6)]
        assert got == [3, 4, 5, 6]
        got = [
            r.event.rows
            for r in ledger.records(
                since=T0 + timedelta(seconds=2), until=T0 + timedelta(seconds=5)
            )
        ]
        assert got == [2, 3, 4]
        assert len(list(ledger.records(action_prefix="api."))) == 10
        assert len(list(ledger.records(action_prefix="api_"))) == 5  # "_" is not a wildcard


def test_refused_event_writes_nothing(ledger_url: str, events: Events) -> None:
    with open_ledger(ledger_url) as ledger:
        ledger.append_many(events(3))
        with pytest.raises(SensitivePayloadError):
            ledger.append_many(
                [
                    *events(2, start=3),
                    Event(action="api.call", actor="u", detail={"phone": "13912345678"}),
                ]
            )
        assert ledger.head()[0] == 3


@pytest.mark.parametrize("alg", ["sha256", "sm3"])
def test_hash_algorithms(events: Events, sqlite_url: str, alg: str) -> None:
    with open_ledger(sqlite_url, hash_alg=alg) as ledger:
        receipts = ledger.append_many(events(5))
        assert ledger.verify().ok
        record = next(ledger.raw_records(1, 1))
        assert (
            Linker(alg).record_hash(1, GENESIS, record.at_us, record.action, record.body)
            == receipts[0].hash
        )
    other = "sm3" if alg == "sha256" else "sha256"
    with pytest.raises(LedgerError, match=f"chained with {alg}"):
        open_ledger(sqlite_url, hash_alg=other)


def test_sm3_known_answer() -> None:
    # GB/T 32905-2016 example 1: SM3("abc")
    assert (
        Linker("sm3").digest(b"abc")
        == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    )


def test_concurrent_appenders_do_not_fork(ledger_url: str, events: Events) -> None:
    ledgers = [open_ledger(ledger_url) for _ in range(2)]
    errors: list[BaseException] = []

    def work(k: int) -> None:
        try:
            for b in range(10):
                ledgers[k % 2].append_many(events(7, start=1000 * k + 10 * b))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    report = ledgers[0].verify()
    assert report.ok and report.checked == 4 * 10 * 7
    for ledger in ledgers:
        ledger.close()


def test_signing_key_is_private(events: Events, sqlite_url: str, tmp_path: object) -> None:
    from medshield.ledger.signing import key_path

    with open_ledger(sqlite_url) as ledger:
        ledger.append_many(events(2))
        cp = ledger.checkpoint()
    assert cp is not None and cp.seq == 2
    assert key_path().stat().st_mode & 0o777 == 0o600


def test_sm2_is_refused_clearly(sqlite_url: str) -> None:
    from medshield.ledger.signing import signer_for

    with pytest.raises(LedgerError, match="sm2 signatures not available"):
        signer_for("sm2")


def test_verify_a_range(sqlite_url: str, events: Events) -> None:
    import sqlite3

    with open_ledger(sqlite_url, checkpoint_every=5) as ledger:
        for start in range(0, 40, 5):
            ledger.append_many(events(5, start=start))
        with sqlite3.connect(sqlite_url.removeprefix("sqlite:///")) as conn:
            conn.execute("UPDATE ledger_records SET action = 'api.view' WHERE seq = 30")
        part = ledger.verify(10, 20)
        assert part.ok and part.checked == 11 and part.checkpoints == 3  # 10, 15, 20
        whole = ledger.verify()
        assert not whole.ok and whole.first_bad_seq == 30
        assert [r.seq for r in ledger.records(action_prefix="api.view")] == []  # body says api.call
        ledger.close(checkpoint=False)


@pytest.mark.postgres
def test_postgres_replica_and_restore(
    sqlite_url: str, postgres_url: str, events: Events, tmp_path: object
) -> None:
    from medshield.ledger.replica import replicate
    from medshield.ledger.restore import restore

    with open_ledger(sqlite_url, hash_alg="sm3") as ledger:
        ledger.append_many(events(30))
        [status] = replicate(ledger, [postgres_url])
        assert status.replica_seq == 30
        head = ledger.head()
    report = restore(postgres_url, f"{sqlite_url}.restored")
    assert report.verify.ok and report.head == head


def test_checkpoint_when_due(sqlite_url: str, events: Events) -> None:
    import time

    with open_ledger(sqlite_url, checkpoint_every=1000, checkpoint_seconds=0.2) as ledger:
        ledger.append_many(events(3))  # starts the clock, not yet due
        assert ledger.checkpoint(only_if_due=True) is None
        time.sleep(0.25)
        cp = ledger.checkpoint(only_if_due=True)
        assert cp is not None and cp.seq == 3
        assert ledger.checkpoint(only_if_due=True) is None  # the head is signed already
