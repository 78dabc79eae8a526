"""Static masking jobs: one row a job, one row a (job, table) with its state.

A table is ``done`` only after its masked copy has been swapped into place in the target, so a
table marked done is never partial; a crash leaves it ``writing`` and a resume re-writes it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from medshield.store.models.base import Base


class MaskJob(Base):
    __tablename__ = "mask_jobs"

    job_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    source: Mapped[str] = mapped_column(Text)  # URL without password
    target: Mapped[str] = mapped_column(Text)
    plan_digest: Mapped[str] = mapped_column(String(80))
    scenario: Mapped[str | None] = mapped_column(String(100))
    role: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(16))  # running, done, failed
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class MaskJobTable(Base):
    __tablename__ = "mask_job_tables"

    job_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("mask_jobs.job_id"), primary_key=True
    )
    table_name: Mapped[str] = mapped_column(String(200), primary_key=True)
    state: Mapped[str] = mapped_column(String(16))  # pending, writing, done
    rows_written: Mapped[int] = mapped_column(BigInteger, default=0)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
