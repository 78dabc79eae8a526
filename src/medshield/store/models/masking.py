"""The masking dictionary's batches: each an approved change, with its entries.

A batch is written once and never changed; the dictionary at batch N is the shipped starter
dictionary with batches 1..N applied in order.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from medshield.store.models.base import Base


class MaskingDictionaryBatch(Base):
    __tablename__ = "masking_dictionary_batches"

    batch: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    approved_by: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    source: Mapped[str] = mapped_column(String(300))  # the file name imported
    entries: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(80))  # sha256 of the entries, in order


class MaskingDictionaryEntry(Base):
    __tablename__ = "masking_dictionary_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    batch: Mapped[int] = mapped_column(ForeignKey("masking_dictionary_batches.batch"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # term or drug
    term: Mapped[str] = mapped_column(String(200))
    code: Mapped[str] = mapped_column(String(200))  # "" removes the term
