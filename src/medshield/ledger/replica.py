"""Disaster recovery: ship new records to secondaries and measure how far behind they are.

A secondary is another database (a URL: the same tables, chained and checked on arrival) or a
folder of append-only JSONL segment files. ``replicate`` ships what a replica lacks; before it
does, it checks that the replica's newest record is the primary's record of the same number,
so a replica that has diverged is reported, never silently extended.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ClassVar, Protocol

from medshield.errors import LedgerIntegrityError
from medshield.ledger.canonical import Linker, to_us
from medshield.ledger.ledger import Ledger
from medshield.ledger.open import open_ledger
from medshield.ledger.records import Checkpoint, RawRecord
from medshield.ledger.segments import SegmentReplica

BATCH = 5000


class Replica(Protocol):
    location: str

    @property
    def hash_alg(self) -> str | None: ...

    def head(self) -> tuple[int, str]: ...

    def ship(
        self, records: Sequence[RawRecord], checkpoints: Sequence[Checkpoint], hash_alg: str
    ) -> int: ...

    def read(self, start_seq: int = 1) -> Iterator[RawRecord]: ...

    def checkpoints(self) -> list[Checkpoint]: ...

    def close(self) -> None: ...


class DatabaseReplica:
    """A secondary database holding a copy of the chain."""

    def __init__(self, url: str, hash_alg: str | None = None) -> None:
        self.location = url
        self.ledger = _open(url, hash_alg)

    @property
    def hash_alg(self) -> str | None:
        return None if self.ledger.is_empty() else self.ledger.hash_alg

    def head(self) -> tuple[int, str]:
        return self.ledger.head()

    def ship(
        self, records: Sequence[RawRecord], checkpoints: Sequence[Checkpoint], hash_alg: str
    ) -> int:
        if self.ledger.hash_alg != hash_alg and self.ledger.is_empty():
            self.ledger.close(checkpoint=False)
            self.ledger = _open(self.location, hash_alg)
        return self.ledger.import_raw(records, checkpoints)

    def read(self, start_seq: int = 1) -> Iterator[RawRecord]:
        return self.ledger.raw_records(start_seq)

    def checkpoints(self) -> list[Checkpoint]:
        return self.ledger.checkpoints()

    def close(self) -> None:
        self.ledger.close(checkpoint=False)


def _open(url: str, hash_alg: str | None) -> Ledger:
    # A copy never signs: it keeps the primary's signed checkpoints.
    return open_ledger(url, hash_alg=hash_alg, signer=_NoSigner(), checkpoint_every=1 << 62,
                       checkpoint_seconds=1e12, replicas=())  # fmt: skip


class _NoSigner:
    """A replica copies signed checkpoints; it never signs its own."""

    algorithm: ClassVar[str] = "none"

    def public_key_hex(self) -> str:
        return ""

    def sign(self, message: bytes) -> bytes:
        raise LedgerIntegrityError("a replica does not sign checkpoints")


def open_replica(location: str, hash_alg: str | None = None) -> Replica:
    """A database replica for a URL (``scheme://...``), else a segment folder."""
    if "://" in location and not location.startswith("file://"):
        return DatabaseReplica(location, hash_alg)
    return SegmentReplica(location)


@dataclass(frozen=True)
class ReplicaStatus:
    location: str
    primary_seq: int
    replica_seq: int
    shipped: int = 0
    lag_records: int = 0
    lag_seconds: float = 0.0  # age of the oldest record the replica lacks
    seconds: float = 0.0  # time spent shipping

    def as_row(self) -> dict[str, object]:
        return {
            "replica": self.location,
            "primary_seq": self.primary_seq,
            "replica_seq": self.replica_seq,
            "shipped": self.shipped,
            "lag_records": self.lag_records,
            "lag_seconds": round(self.lag_seconds, 3),
        }


def _check_same_chain(ledger: Ledger, replica: Replica) -> int:
    seq, hash_ = replica.head()
    if seq == 0:
        return 0
    ours = next(iter(ledger.raw_records(seq, seq)), None)
    if ours is None or ours.hash != hash_:
        raise LedgerIntegrityError(
            f"replica has diverged from the primary at record {seq}", where=replica.location
        )
    return seq


def status_of(
    ledger: Ledger, replica: Replica, shipped: int = 0, seconds: float = 0.0
) -> ReplicaStatus:
    primary_seq = ledger.head()[0]
    replica_seq = replica.head()[0]
    lag = max(primary_seq - replica_seq, 0)
    age = 0.0
    if lag:
        oldest = next(iter(ledger.raw_records(replica_seq + 1, replica_seq + 1)), None)
        if oldest is not None:
            age = max((to_us(datetime.now(UTC)) - oldest.at_us) / 1e6, 0.0)
    return ReplicaStatus(replica.location, primary_seq, replica_seq, shipped, lag, age, seconds)


def replicate_to(ledger: Ledger, replica: Replica) -> ReplicaStatus:
    """Ship every record ``replica`` lacks (and the checkpoints that go with them)."""
    started = time.perf_counter()
    have = _check_same_chain(ledger, replica)
    head = ledger.head()[0]
    checkpoints = ledger.checkpoints(start_seq=have + 1)
    shipped = 0
    batch: list[RawRecord] = []
    linker = Linker(ledger.hash_alg)
    for record in ledger.raw_records(have + 1, head):
        # a record changed on the primary is never shipped: replicas stay clean copies
        if linker.record_hash(record.seq, record.prev_hash, record.at_us, record.action,
                              record.body) != record.hash:  # fmt: skip
            raise LedgerIntegrityError(
                f"record {record.seq} does not match its hash; not shipped",
                where=f"seq {record.seq}",
            )
        batch.append(record)
        if len(batch) >= BATCH:
            shipped += replica.ship(
                batch, [c for c in checkpoints if c.seq <= batch[-1].seq], ledger.hash_alg
            )
            batch = []
    shipped += replica.ship(batch, checkpoints, ledger.hash_alg)
    return status_of(ledger, replica, shipped, time.perf_counter() - started)


def _each_replica(
    ledger: Ledger,
    locations: Sequence[str] | None,
    measure: Callable[[Ledger, Replica], ReplicaStatus],
) -> list[ReplicaStatus]:
    """``measure`` of each replica (the ledger's configured ones when None), opened in turn."""
    statuses = []
    for location in locations if locations is not None else ledger.replicas:
        replica = open_replica(location, ledger.hash_alg)
        try:
            statuses.append(measure(ledger, replica))
        finally:
            replica.close()
    return statuses


def replicate(ledger: Ledger, locations: Sequence[str] | None = None) -> list[ReplicaStatus]:
    """Bring every replica (the ledger's configured ones when None) up to the primary's head."""
    return _each_replica(ledger, locations, replicate_to)


def compare(ledger: Ledger, location: str) -> str | None:
    """The first disagreement between the primary and a replica, or None.

    A replica that holds more than the primary, or another history, shows a primary whose tail
    was cut off or rewritten, which the primary alone cannot show."""
    replica = open_replica(location, ledger.hash_alg)
    try:
        seq, hash_ = replica.head()
        if seq == 0:
            return None
        ours = next(iter(ledger.raw_records(seq, seq)), None)
        if ours is None:
            return f"the replica holds records up to {seq}, the primary ends at {ledger.head()[0]}"
        if ours.hash != hash_:
            return f"record {seq} differs between the primary and the replica"
        return None
    finally:
        replica.close()


def replica_status(ledger: Ledger, locations: Sequence[str] | None = None) -> list[ReplicaStatus]:
    return _each_replica(ledger, locations, status_of)
