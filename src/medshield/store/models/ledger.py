"""The ledger's tables: the hash-chained records, signed checkpoints and the one head row.

``ledger_records.body`` holds the canonical JSON of the event exactly as it was hashed, so a
verifier never re-serialises. ``at_us`` (microseconds since the Unix epoch, UTC) and ``action``
are copies for range and prefix queries; both are covered by the record's hash. The single
``ledger_head`` row (id 1) is the lock every appender takes and names the newest record.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from medshield.store.models.base import Base

# A rowid alias on SQLite (fast appends), BIGINT elsewhere.
SeqType = BigInteger().with_variant(Integer(), "sqlite")


class LedgerRecordRow(Base):
    __tablename__ = "ledger_records"

    seq: Mapped[int] = mapped_column(SeqType, primary_key=True, autoincrement=False)
    at_us: Mapped[int] = mapped_column(BigInteger)
    action: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_ledger_records_at_us", "at_us"),
        Index("ix_ledger_records_action", "action"),
    )


class LedgerCheckpointRow(Base):
    __tablename__ = "ledger_checkpoints"

    seq: Mapped[int] = mapped_column(SeqType, primary_key=True, autoincrement=False)
    hash: Mapped[str] = mapped_column(String(64))
    at_us: Mapped[int] = mapped_column(BigInteger)
    hash_alg: Mapped[str] = mapped_column(String(16))
    sig_alg: Mapped[str] = mapped_column(String(16))
    public_key: Mapped[str] = mapped_column(Text)  # hex of the raw public key
    signature: Mapped[str] = mapped_column(Text)  # hex


class LedgerHeadRow(Base):
    __tablename__ = "ledger_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
    hash_alg: Mapped[str | None] = mapped_column(String(16))
    checkpoint_seq: Mapped[int] = mapped_column(BigInteger)
    checkpoint_at_us: Mapped[int] = mapped_column(BigInteger)
