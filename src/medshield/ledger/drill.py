"""The disaster-recovery drill: lose a primary on purpose, rebuild it, count what was lost.

The drill never touches the real primary beyond shipping to its replicas: it copies the primary
to a scratch database, destroys that copy, restores it from a replica, verifies the restored
chain and checks that every acknowledged record (every record the primary held when the drill
began) is back with the same hash.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from medshield.errors import NoReplicaError
from medshield.ledger.ledger import Ledger
from medshield.ledger.records import VerifyReport
from medshield.ledger.replica import (
    DatabaseReplica,
    ReplicaStatus,
    open_replica,
    replica_status,
    replicate,
    replicate_to,
)
from medshield.ledger.restore import restore


@dataclass(frozen=True)
class DrillReport:
    primary_seq: int
    replica: str
    replication: tuple[ReplicaStatus, ...]
    restored_seq: int
    lost: int
    lag_before: int  # records the replica lacked when the drill began: the loss had it been real
    verify: VerifyReport
    restore_seconds: float
    seconds: float

    @property
    def ok(self) -> bool:
        return self.lost == 0 and self.verify.ok and self.restored_seq >= self.primary_seq

    def as_rows(self) -> list[dict[str, object]]:
        return [
            {"check": "primary head (acknowledged records)", "value": self.primary_seq},
            {"check": "replica used", "value": self.replica},
            {"check": "replica lag when the drill began (records)", "value": self.lag_before},
            {"check": "records restored", "value": self.restored_seq},
            {"check": "acknowledged records lost", "value": self.lost},
            {"check": "restored chain verifies", "value": self.verify.ok},
            {"check": "restore time (s)", "value": round(self.restore_seconds, 3)},
            {"check": "drill passed", "value": self.ok},
        ]


def _scratch_url(folder: Path, name: str) -> str:
    return f"sqlite:///{folder / name}"


def run_drill(
    ledger: Ledger, replicas: tuple[str, ...] = (), scratch: Path | None = None
) -> DrillReport:
    """Run the drill for ``ledger`` using ``replicas`` (its configured ones when empty).
    With none, ``NoReplicaError``: restoring from a scratch copy made for the drill would
    pass whatever the real recovery path is."""
    if not (replicas or ledger.replicas):
        raise NoReplicaError(
            "no replica configured: give --replica or set MEDSHIELD_LEDGER_REPLICAS; "
            "a drill needs the replica a recovery would use"
        )
    started = time.perf_counter()
    own_scratch = scratch is None
    folder = Path(tempfile.mkdtemp(prefix="medshield-drill-")) if scratch is None else scratch
    folder.mkdir(parents=True, exist_ok=True)
    try:
        locations = replicas or ledger.replicas
        lag_before = replica_status(ledger, locations[:1])[0].lag_records
        # 1. a scratch copy of the primary: what it has acknowledged
        copy_url = _scratch_url(folder, "primary-copy.db")
        copy = DatabaseReplica(copy_url, ledger.hash_alg)
        try:
            replicate_to(ledger, copy)
            acknowledged = {r.seq: r.hash for r in copy.read()}
            copied_seq = copy.head()[0]
        finally:
            copy.close()
        # 2. ship to the replicas, then destroy the copy
        statuses = tuple(replicate(ledger, locations))
        for suffix in ("", "-wal", "-shm"):
            (folder / f"primary-copy.db{suffix}").unlink(missing_ok=True)
        # 3. restore it from the replica, and verify
        restored_url = _scratch_url(folder, "restored.db")
        report = restore(locations[0], restored_url)
        # 4. every acknowledged record is back with the same hash
        back = open_replica(restored_url, ledger.hash_alg)
        try:
            for record in back.read():
                if acknowledged.get(record.seq) == record.hash:
                    del acknowledged[record.seq]
        finally:
            back.close()
        lost = len(acknowledged)
        return DrillReport(
            primary_seq=copied_seq,
            replica=locations[0],
            replication=statuses,
            restored_seq=report.head[0],
            lost=lost,
            lag_before=lag_before,
            verify=report.verify,
            restore_seconds=report.seconds,
            seconds=time.perf_counter() - started,
        )
    finally:
        if own_scratch:
            shutil.rmtree(folder, ignore_errors=True)
