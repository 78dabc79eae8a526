from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from medshield.ledger import open_ledger
from medshield.ledger.replica import replicate
from medshield.monitor import Window
from medshield.monitor.checks.replicas import ReplicaLagCheck


def test_a_replica_behind_is_found_until_shipped(
    sqlite_url: str, tmp_path: Path, history: Callable[..., None]
) -> None:
    history(4, 10)  # written through the fixture's ledger on the same store
    folder = str(tmp_path / "replica")
    check = ReplicaLagCheck(ReplicaLagCheck.Params(max_records=2, max_seconds=10**9))
    window = Window(datetime.now(), datetime.now(), [])
    with open_ledger(sqlite_url, replicas=(folder,)) as ledger:
        [finding] = check.run(ledger, window)
        assert finding.count == 4 and finding.subject == f"replica:{folder}"
        replicate(ledger)
        assert check.run(ledger, window) == []


def test_no_replicas_no_findings(sqlite_url: str) -> None:
    with open_ledger(sqlite_url, replicas=()) as ledger:
        assert ReplicaLagCheck(ReplicaLagCheck.Params()).run(ledger, Window(
            datetime.now(), datetime.now(), [])) == []  # fmt: skip
