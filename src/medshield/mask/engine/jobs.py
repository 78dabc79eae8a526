"""The job book: static masking jobs and each table's state in the platform store."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from medshield.errors import InputError, UnknownNameError
from medshield.store.models.mask_jobs import MaskJob, MaskJobTable

PENDING, WRITING, DONE = "pending", "writing", "done"


def _now() -> datetime:
    return datetime.now(UTC)


class JobBook:
    """Reads and moves job and table states; every move is its own committed transaction."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def start(
        self,
        *,
        source: str,
        target: str,
        plan_digest: str,
        tables: Sequence[str],
        scenario: str | None = None,
        role: str | None = None,
        job_id: str | None = None,
    ) -> str:
        """A new job with every table pending; its id."""
        job_id = job_id or f"mask-j{uuid.uuid4().hex[:12]}"
        with Session(self.engine) as session, session.begin():
            if session.get(MaskJob, job_id) is not None:
                raise InputError(f"masking job {job_id!r} exists already; use resume")
            session.add(
                MaskJob(
                    job_id=job_id,
                    source=source,
                    target=target,
                    plan_digest=plan_digest,
                    scenario=scenario,
                    role=role,
                    state="running",
                    created_at=_now(),
                )
            )
            for table in tables:
                session.add(
                    MaskJobTable(job_id=job_id, table_name=table, state=PENDING, rows_written=0)
                )
        return job_id

    def resume(self, job_id: str, *, source: str, target: str, plan_digest: str) -> set[str]:
        """Check a job can resume with the same source, target and plan; its done tables."""
        with Session(self.engine) as session, session.begin():
            job = session.get(MaskJob, job_id)
            if job is None:
                raise UnknownNameError(f"unknown masking job {job_id!r}")
            if (job.source, job.target) != (source, target):
                raise InputError(
                    f"job {job_id!r} masked {job.source} -> {job.target}, not {source} -> {target}"
                )
            if job.plan_digest != plan_digest:
                raise InputError(f"job {job_id!r} ran another masking plan; start a new job")
            job.state = "running"
            job.finished_at = None
            return set(
                session.scalars(
                    select(MaskJobTable.table_name).where(
                        MaskJobTable.job_id == job_id, MaskJobTable.state == DONE
                    )
                )
            )

    def tables(self, job_id: str) -> dict[str, tuple[str, int]]:
        """Table -> (state, rows written)."""
        with Session(self.engine) as session:
            rows = session.scalars(select(MaskJobTable).where(MaskJobTable.job_id == job_id))
            return {r.table_name: (r.state, r.rows_written) for r in rows}

    def move(self, job_id: str, table: str, state: str, rows: int = 0) -> None:
        with Session(self.engine) as session, session.begin():
            record = session.get(MaskJobTable, (job_id, table))
            if record is None:
                record = MaskJobTable(job_id=job_id, table_name=table, rows_written=0)
                session.add(record)
            record.state = state
            record.rows_written = rows
            if state == WRITING:
                record.started_at = _now()
            if state == DONE:
                record.finished_at = _now()

    def finish(self, job_id: str, state: str) -> None:
        with Session(self.engine) as session, session.begin():
            job = session.get(MaskJob, job_id)
            if job is not None:
                job.state = state
                job.finished_at = _now()
