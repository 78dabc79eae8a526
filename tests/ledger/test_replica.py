"""Replication to segment folders and databases, lag, divergence, restore."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from medshield.errors import LedgerError, LedgerIntegrityError
from medshield.ledger import Event, open_ledger
from medshield.ledger.replica import replica_status, replicate
from medshield.ledger.restore import restore
from medshield.ledger.segments import SegmentReplica

Events = Callable[..., list[Event]]


def test_segments_and_database_replicas(ledger_url: str, events: Events, tmp_path: Path) -> None:
    folder = str(tmp_path / "segments")
    replica_db = f"sqlite:///{tmp_path / 'replica.db'}"
    with open_ledger(ledger_url, checkpoint_every=20, replicas=(folder, replica_db)) as ledger:
        ledger.append_many(events(50))
        before = replica_status(ledger)
        assert [s.lag_records for s in before] == [50, 50]
        assert all(s.lag_seconds > 0 for s in before)
        shipped = replicate(ledger)
        assert [s.shipped for s in shipped] == [50, 50]
        assert [s.lag_records for s in shipped] == [0, 0]
        ledger.append_many(events(7, start=50))
        assert [s.shipped for s in replicate(ledger)] == [7, 7]
        head = ledger.head()
    for location in (folder, replica_db):
        report = restore(location, f"sqlite:///{tmp_path / (Path(location).name + '-restored.db')}")
        assert report.verify.ok, report.verify.problem
        assert report.head == head
        assert report.checkpoints == 1  # the one signed at record 50


def test_segment_lines_are_whole_records(sqlite_url: str, events: Events, tmp_path: Path) -> None:
    folder = tmp_path / "segments"
    with open_ledger(sqlite_url) as ledger:
        ledger.append_many(events(5))
        replicate(ledger, [str(folder)])
        segment = next(folder.glob("segment-*.jsonl"))
        lines = segment.read_text(encoding="utf-8").splitlines()
        assert [json.loads(line)["seq"] for line in lines] == [1, 2, 3, 4, 5]
        assert "免疫性血小板减少症" in lines[0]  # UTF-8, not escaped
        # a crash in the middle of a write leaves half a line: it is dropped on reopen
        with segment.open("a", encoding="utf-8") as handle:
            handle.write(lines[0][: len(lines[0]) // 2])
        assert SegmentReplica(folder).head()[0] == 5
        ledger.append_many(events(3, start=5))
        assert replicate(ledger, [str(folder)])[0].replica_seq == 8


def test_diverged_replica_is_refused(sqlite_url: str, events: Events, tmp_path: Path) -> None:
    folder = tmp_path / "segments"
    with open_ledger(sqlite_url) as ledger:
        ledger.append_many(events(4))
        replicate(ledger, [str(folder)])
    other_url = f"sqlite:///{tmp_path / 'other.db'}"
    with open_ledger(other_url) as other:
        other.append_many(events(6, start=100))
        with pytest.raises(LedgerIntegrityError, match="diverged"):
            replicate(other, [str(folder)])


def test_tampered_replica_does_not_restore(sqlite_url: str, events: Events, tmp_path: Path) -> None:
    folder = tmp_path / "segments"
    with open_ledger(sqlite_url) as ledger:
        ledger.append_many(events(6))
        replicate(ledger, [str(folder)])
    segment = next(folder.glob("segment-*.jsonl"))
    segment.write_text(
        segment.read_text(encoding="utf-8").replace("血小板", "白细胞", 1), encoding="utf-8"
    )
    with pytest.raises(LedgerIntegrityError, match="record 1 does not match its hash"):
        restore(str(folder), f"sqlite:///{tmp_path / 'restored.db'}")


def test_restore_refuses_a_non_empty_target(
    sqlite_url: str, events: Events, tmp_path: Path
) -> None:
    folder = tmp_path / "segments"
    with open_ledger(sqlite_url) as ledger:
        ledger.append_many(events(2))
        replicate(ledger, [str(folder)])
    with pytest.raises(LedgerError, match="already holds"):
        restore(str(folder), sqlite_url)


def test_a_replica_shows_a_cut_off_tail(sqlite_url: str, events: Events, tmp_path: Path) -> None:
    """Cutting the tail, rewinding the head and dropping newer checkpoints fools the primary
    alone; the replica does not agree."""
    import sqlite3

    from medshield.ledger.replica import compare

    folder = str(tmp_path / "segments")
    with open_ledger(sqlite_url, checkpoint_every=5, replicas=(folder,)) as ledger:
        for start in range(0, 20, 5):
            ledger.append_many(events(5, start=start))
        replicate(ledger)
        assert compare(ledger, folder) is None
        kept = next(ledger.raw_records(12, 12))
        with sqlite3.connect(sqlite_url.removeprefix("sqlite:///")) as conn:
            conn.execute("DELETE FROM ledger_records WHERE seq > 12")
            conn.execute("DELETE FROM ledger_checkpoints WHERE seq > 12")
            conn.execute("UPDATE ledger_head SET seq = 12, hash = ? WHERE id = 1", (kept.hash,))
        assert ledger.verify().ok  # consistent in itself: the documented limit
        problem = compare(ledger, folder)
        assert problem == "the replica holds records up to 20, the primary ends at 12"
        with pytest.raises(LedgerIntegrityError, match="diverged"):
            replicate(ledger)
        ledger.close(checkpoint=False)


def test_two_shippers_to_one_replica(sqlite_url: str, events: Events, tmp_path: Path) -> None:
    import threading

    folder = str(tmp_path / "segments")
    replica_db = f"sqlite:///{tmp_path / 'replica.db'}"
    with open_ledger(sqlite_url) as ledger:
        for start in range(0, 200, 50):
            ledger.append_many(events(50, start=start))
        errors: list[BaseException] = []

        def ship() -> None:
            try:
                replicate(ledger, [folder, replica_db])
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=ship) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors
        assert [s.replica_seq for s in replica_status(ledger, [folder, replica_db])] == [200, 200]
    for location in (folder, replica_db):
        report = restore(location, f"sqlite:///{tmp_path / (Path(location).stem + '-r.db')}")
        assert report.verify.ok and report.records == 200


def test_a_changed_record_is_not_shipped(sqlite_url: str, events: Events, tmp_path: Path) -> None:
    import sqlite3

    folder = str(tmp_path / "segments")
    with open_ledger(sqlite_url) as ledger:
        ledger.append_many(events(6))
        with sqlite3.connect(sqlite_url.removeprefix("sqlite:///")) as conn:
            conn.execute(
                "UPDATE ledger_records SET body = replace(body, '血小板', '白细胞') WHERE seq = 4"
            )
        with pytest.raises(
            LedgerIntegrityError, match="record 4 does not match its hash; not shipped"
        ):
            replicate(ledger, [folder])
        ledger.close(checkpoint=False)
