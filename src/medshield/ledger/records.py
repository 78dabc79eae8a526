"""What the ledger hands back: records, receipts, checkpoints and verification reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from medshield.ledger.events import Event


@dataclass(frozen=True)
class Receipt:
    """The acknowledgement of one append: the event is durable under ``seq`` and ``hash``."""

    seq: int
    hash: str


@dataclass(frozen=True)
class LedgerRecord:
    """One chained record as read back from the ledger."""

    seq: int
    at: datetime
    event: Event
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class RawRecord:
    """A record as stored: the canonical body text exactly as hashed."""

    seq: int
    at_us: int
    action: str
    body: str
    prev_hash: str
    hash: str

    def to_dict(self) -> dict[str, object]:
        return {
            "seq": self.seq,
            "at_us": self.at_us,
            "action": self.action,
            "body": self.body,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


@dataclass(frozen=True)
class Checkpoint:
    """A signed statement "record ``seq`` has hash ``hash``"."""

    seq: int
    hash: str
    at_us: int
    hash_alg: str
    sig_alg: str
    public_key: str
    signature: str

    def to_dict(self) -> dict[str, object]:
        return {
            "seq": self.seq,
            "hash": self.hash,
            "at_us": self.at_us,
            "hash_alg": self.hash_alg,
            "sig_alg": self.sig_alg,
            "public_key": self.public_key,
            "signature": self.signature,
        }


@dataclass(frozen=True)
class VerifyReport:
    """The result of verifying a chain (or an export).

    ``first_bad_seq`` is the first record that does not verify (for a deletion: the missing
    record; for a truncation: the first record a checkpoint or the head names but that is gone).
    """

    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str | None = None
    checkpoints_ok: bool = True
    checkpoints: int = 0
    head_seq: int = 0
    seconds: float = 0.0
    notes: tuple[str, ...] = ()

    @property
    def rate(self) -> float:
        """Records verified per second."""
        return self.checked / self.seconds if self.seconds > 0 else 0.0
