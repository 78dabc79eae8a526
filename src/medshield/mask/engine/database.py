"""Static masking from any SQLAlchemy source to any SQLAlchemy target, in streaming batches.

Each table: state ``writing`` in the job book, rows read with a server-side cursor in batches of
``batch_rows``, each batch through the operators as a Polars DataFrame, written to the staging
table; then the staging table is swapped in and the table marked ``done``. A crash anywhere
leaves the table ``writing`` (never ``done``); resuming the job re-writes it from the start.
With a ``verify`` check, the masked rows are verified before the swap: a table that fails is
not released (its staging table is dropped, the table marked ``refused``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import NoSuchTableError, SQLAlchemyError

from medshield.errors import (
    InputError,
    MedshieldError,
    StoreError,
    UnknownNameError,
)
from medshield.ledger import Ledger, open_ledger
from medshield.mask.engine import record, schema
from medshield.mask.engine.frames import OperatorPlan, describe_plan, mask_frame, plan_digest
from medshield.mask.engine.jobs import DONE, WRITING, JobBook
from medshield.store.db import connect, upgrade
from medshield.store.existing import database_name, one_line

Progress = Callable[[str, int], None]  # (table, rows written so far)
Masker = Callable[[pl.DataFrame, OperatorPlan], pl.DataFrame]  # another engine's mask_frame
Verify = Callable[[str, pl.DataFrame], Any]  # (table, masked rows) -> .released, .event
REFUSED = "refused"


@dataclass(frozen=True)
class TableResult:
    table: str
    rows: int
    skipped: bool = False  # done by an earlier run of the job
    released: bool = True  # False: refused by verification, not written


@dataclass(frozen=True)
class MaskJobResult:
    job_id: str
    source: str
    target: str
    tables: tuple[TableResult, ...] = field(default_factory=tuple)

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)


def safe_url(url: str) -> str:
    try:
        return database_name(url)
    except Exception:  # noqa: BLE001 - any malformed URL is reported the same way
        raise InputError("malformed database URL") from None


BATCH_BYTES = 64 * 2**20  # in-memory size aimed at per batch when no row count is given
FIRST_ROWS = 10_000  # rows read first to measure how large a row is
MAX_ROWS = 500_000


def rows_per_batch(sample: pl.DataFrame, batch_bytes: int = BATCH_BYTES) -> int:
    """Rows per batch for ``batch_bytes`` of memory, from the size of ``sample``'s rows:
    narrow tables go in large batches (less work per row), wide text tables in small ones."""
    per_row = sample.estimated_size() / max(sample.height, 1)
    return int(min(max(batch_bytes / max(per_row, 1.0), 1_000), MAX_ROWS))


def read_batches(
    connection: sa.Connection, table: sa.Table, batch_rows: int | None
) -> Iterator[pl.DataFrame]:
    """The source table as Polars DataFrames in primary-key order: ``batch_rows`` rows each,
    or (None) a first ``FIRST_ROWS`` and then as many as ``rows_per_batch`` allows."""
    dtypes = {c.name: schema.polars_dtype(c) for c in table.columns}
    frame_schema = {n: d for n, d in dtypes.items() if d is not None}
    statement = sa.select(table).order_by(*table.primary_key.columns)
    size = batch_rows or FIRST_ROWS
    result = connection.execution_options(stream_results=True, yield_per=size).execute(statement)
    names = list(dtypes)
    while part := result.fetchmany(size):
        if len(frame_schema) == len(names):
            frame = pl.DataFrame(part, schema=frame_schema, orient="row", strict=False)
        else:
            frame = pl.DataFrame(
                [tuple(row) for row in part], schema=names, orient="row", infer_schema_length=None
            )
        yield frame
        if batch_rows is None:
            size = rows_per_batch(frame)


def insert_frame(connection: sa.Connection, table: sa.Table, frame: pl.DataFrame) -> None:
    """Insert ``frame``; positional drivers (SQLite, MariaDB) get plain tuples in one
    ``executemany``, the others SQLAlchemy's batched insert."""
    if frame.height == 0:
        return
    if connection.dialect.positional:
        statement = str(table.insert().compile(dialect=connection.dialect))
        connection.exec_driver_sql(statement, frame.select([c.name for c in table.columns]).rows())
    else:
        connection.execute(table.insert(), frame.to_dicts())


def _empty(table: sa.Table) -> pl.DataFrame:
    return pl.DataFrame(
        {
            c.name: pl.Series(c.name, [], dtype=schema.polars_dtype(c) or pl.String())
            for c in table.columns
        }
    )


def mask_table(
    source: Engine,
    target: Engine,
    name: str,
    plan: OperatorPlan,
    *,
    batch_rows: int | None,
    progress: Progress | None = None,
    masker: Masker | None = None,
    verify: Verify | None = None,
) -> tuple[int, Any]:
    """Mask one table into the target through its staging table; the rows written and the
    verdict of ``verify`` (None without one). A refused table is never swapped in."""
    try:
        owner, _, bare = name.rpartition(".")  # "schema.table" from the catalogue
        table = sa.Table(bare, sa.MetaData(), schema=owner or None, autoload_with=source)
    except NoSuchTableError:
        raise UnknownNameError(f"no table {name!r} in the source") from None
    masked_empty = mask_frame(_empty(table), plan, where=name)
    masked_schema = masked_empty.schema
    kept = {c for c, op in plan.items() if op is None or op.name == "keep"}
    staging = schema.staging_table(table, masked_schema, kept, target)
    with target.begin() as connection:
        schema.drop_if_exists(connection, staging.name)
        staging.create(connection)
    rows = 0
    held: list[pl.DataFrame] = []  # with a check, rows are written once verified
    with source.connect() as reader:
        for batch in read_batches(reader, table, batch_rows):
            masked = mask_frame(batch, plan, where=name) if masker is None else masker(batch, plan)
            if verify is None:
                with target.begin() as connection:
                    insert_frame(connection, staging, masked)
            else:
                held.append(masked)
            rows += masked.height
            if progress is not None:
                progress(name, rows)
    verdict = None
    if verify is not None:
        verdict = verify(name, pl.concat(held, how="vertical_relaxed") if held else masked_empty)
        if verdict.released:
            for part in verdict.frame.iter_slices(batch_rows or FIRST_ROWS):
                with target.begin() as connection:
                    insert_frame(connection, staging, part)
            rows = verdict.frame.height
    with target.begin() as connection:
        if verdict is None or verdict.released:
            schema.swap_in(connection, table.name)
        else:
            schema.drop_if_exists(connection, staging.name)
    return rows, verdict


def mask_database(
    source_url: str,
    target_url: str,
    *,
    plans: Mapping[str, OperatorPlan],
    batch_rows: int | None = None,
    progress: Progress | None = None,
    job_id: str | None = None,
    resume: bool = False,
    store_url: str | None = None,
    scenario: str | None = None,
    role: str | None = None,
    actor: str = "system:mask",
    masker: Masker | None = None,
    ledger: Ledger | None = None,
    verify: Verify | None = None,
) -> MaskJobResult:
    """Copy each table of ``plans`` from source to target through its operators.

    ``resume=True`` continues ``job_id``: tables already done are skipped, the others re-written.
    ``masker`` replaces the local batch step (the Spark engine passes its own). Events go to
    ``ledger`` when given (left open), else to the ledger of the store at ``store_url``.
    ``verify`` checks each table before it is released; its ``mask.release`` event is recorded
    and a refused table is marked ``refused`` (the job ends ``refused``), never written.
    """
    if batch_rows is not None and batch_rows < 1:
        raise InputError("batch_rows must be at least 1")
    if resume and job_id is None:
        raise InputError("resume needs the job id")
    src_safe, dst_safe = safe_url(source_url), safe_url(target_url)
    if sa.engine.make_url(source_url) == sa.engine.make_url(target_url):
        raise InputError("the target is the source: masking would overwrite the raw tables")
    upgrade(store_url)
    book = JobBook(connect(store_url))
    digest = plan_digest(plans)
    if resume:
        assert job_id is not None
        done = book.resume(job_id, source=src_safe, target=dst_safe, plan_digest=digest)
    else:
        job_id = book.start(
            source=src_safe,
            target=dst_safe,
            plan_digest=digest,
            tables=list(plans),
            scenario=scenario,
            role=role,
            job_id=job_id,
        )
        done = set()
    event: dict[str, Any] = {
        "job_id": job_id,
        "actor": actor,
        "source": src_safe,
        "target": dst_safe,
    }
    source, target = _engine(source_url), _engine(target_url)
    owned = ledger is None
    ledger = ledger or open_ledger(store_url)
    step = "resumed" if resume else "started"
    ledger.append(record.job_event(**event, state=step, detail={"plan": digest}))
    results: list[TableResult] = []
    try:
        for name, plan in plans.items():
            if name in done:
                results.append(TableResult(name, book.tables(job_id)[name][1], skipped=True))
                continue
            book.move(job_id, name, WRITING)
            started = time.perf_counter()
            rows, verdict = mask_table(
                source,
                target,
                name,
                plan,
                batch_rows=batch_rows,
                progress=progress,
                masker=masker,
                verify=verify,
            )
            if verdict is not None:
                ledger.append(verdict.event)
            released = verdict is None or verdict.released
            book.move(job_id, name, DONE if released else REFUSED, rows)
            results.append(TableResult(name, rows, released=released))
            facts: dict[str, Any] = dict(verdict.lineage) if verdict is not None else {}
            ledger.append_many(
                record.table_events(
                    **event,
                    table=name,
                    columns=list(plan),
                    rows=rows,
                    plan=describe_plan(plan),
                    duration_ms=(time.perf_counter() - started) * 1000,
                    **facts,
                )
            )
        state = "done" if all(r.released for r in results) else REFUSED
        book.finish(job_id, state)
        total = sum(r.rows for r in results)
        ledger.append(record.job_event(**event, state=state, detail={"rows": total}))
    except (SQLAlchemyError, MedshieldError) as exc:
        book.finish(job_id, "failed")
        ledger.append(record.job_event(**event, state="failed", detail={}))
        if isinstance(exc, MedshieldError):
            raise
        raise StoreError(f"masking job failed: {one_line(exc)}", where=job_id) from None
    finally:
        source.dispose()
        target.dispose()
        if owned:
            ledger.close()
    return MaskJobResult(job_id, src_safe, dst_safe, tuple(results))


def _engine(url: str) -> Engine:
    try:
        return sa.create_engine(url)
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise InputError(f"cannot open database: {exc}", where=safe_url(url)) from None
