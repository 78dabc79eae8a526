"""The disaster-recovery drill on SQLite and PostgreSQL primaries."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from medshield.ledger import Event, open_ledger
from medshield.ledger.drill import run_drill

Events = Callable[..., list[Event]]


def test_drill_loses_nothing(ledger_url: str, events: Events, tmp_path: Path) -> None:
    folder = tmp_path / "replica"
    with open_ledger(ledger_url, checkpoint_every=50, replicas=(str(folder),)) as ledger:
        for start in range(0, 300, 100):
            ledger.append_many(events(100, start=start))
        report = run_drill(ledger, scratch=tmp_path / "scratch")
        assert report.ok
        assert report.primary_seq == 300
        assert report.restored_seq == 300
        assert report.lost == 0
        assert report.lag_before == 300  # nothing had been shipped before the drill
        assert report.verify.ok and report.verify.checked == 300
        # the drill destroyed its copy, not the primary
        assert not (tmp_path / "scratch" / "primary-copy.db").exists()
        assert ledger.head()[0] == 300 and ledger.verify().ok


def test_drill_repairs_a_replica_that_lost_its_tail(
    sqlite_url: str, events: Events, tmp_path: Path
) -> None:
    """The drill ships from the replica's own head, so a cut replica is made whole again."""
    folder = tmp_path / "replica"
    with open_ledger(sqlite_url, replicas=(str(folder),)) as ledger:
        ledger.append_many(events(10))
        report = run_drill(ledger, scratch=tmp_path / "scratch")
        assert report.ok
        segment = next(folder.glob("segment-*.jsonl"))
        lines = segment.read_text(encoding="utf-8").splitlines(keepends=True)
        segment.write_text("".join(lines[:7]), encoding="utf-8")  # the replica lost its tail
        ledger.append_many(events(2, start=10))
        report = run_drill(ledger, scratch=tmp_path / "scratch2")
    assert report.ok  # shipping resumes from the replica's own head: records 8.. are re-sent
    assert report.lag_before == 5
    assert report.restored_seq == 12
