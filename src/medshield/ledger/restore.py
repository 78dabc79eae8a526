"""Rebuilding a primary from a replica, and proving it whole."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from medshield.errors import LedgerError, LedgerMissingError
from medshield.ledger.open import open_ledger
from medshield.ledger.records import RawRecord, VerifyReport
from medshield.ledger.replica import BATCH, open_replica


@dataclass(frozen=True)
class RestoreReport:
    source: str
    target: str
    records: int
    checkpoints: int
    head: tuple[int, str]
    verify: VerifyReport
    seconds: float


def restore(replica_location: str, to_url: str) -> RestoreReport:
    """Copy the chain held by a replica into the (empty) ledger at ``to_url`` and verify it."""
    started = time.perf_counter()
    if "://" not in replica_location or replica_location.startswith("file://"):
        if not Path(replica_location.removeprefix("file://")).is_dir():
            raise LedgerMissingError("no replica folder here", where=replica_location)
    replica = open_replica(replica_location)
    try:
        alg = replica.hash_alg
        if alg is None:
            raise LedgerError("the replica holds no records", where=replica_location)
        target = open_ledger(to_url, hash_alg=alg, checkpoint_every=1 << 62, checkpoint_seconds=1e12,
                             replicas=())  # fmt: skip
        try:
            if not target.is_empty():
                raise LedgerError("restore target already holds a ledger", where=to_url)
            checkpoints = replica.checkpoints()
            copied = 0
            batch: list[RawRecord] = []
            for record in replica.read():
                batch.append(record)
                if len(batch) >= BATCH:
                    copied += target.import_raw(
                        batch, [c for c in checkpoints if c.seq <= batch[-1].seq]
                    )
                    batch = []
            copied += target.import_raw(batch, checkpoints)
            report = target.verify()
            head = target.head()
            n_cps = len(target.checkpoints())
        finally:
            target.close(checkpoint=False)
    finally:
        replica.close()
    return RestoreReport(
        replica_location, to_url, copied, n_cps, head, report, time.perf_counter() - started
    )
