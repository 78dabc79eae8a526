"""The ledger: append events to a hash chain in the platform store, read and verify it.

An append is acknowledged (a ``Receipt`` returned) only after its transaction committed. A batch
is one transaction and one ``executemany``. Appenders serialise on a lock in the process and on
the head row in the database, so concurrent writers never fork the chain.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import astuple, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, Select, Table, insert, select, update

from medshield.errors import LedgerError, LedgerIntegrityError
from medshield.ledger.canonical import GENESIS, Linker, canonical_body, from_us, to_us
from medshield.ledger.engine import WRITE
from medshield.ledger.events import Event
from medshield.ledger.guard import check_payload
from medshield.ledger.records import Checkpoint, LedgerRecord, RawRecord, Receipt, VerifyReport
from medshield.ledger.signing import Signer, checkpoint_message
from medshield.ledger.verify import Row, verify_rows
from medshield.store.models.base import Base
from medshield.store.models.ledger import LedgerCheckpointRow, LedgerHeadRow, LedgerRecordRow

RECORDS: Table = Base.metadata.tables[LedgerRecordRow.__tablename__]
CHECKPOINTS: Table = Base.metadata.tables[LedgerCheckpointRow.__tablename__]
HEAD: Table = Base.metadata.tables[LedgerHeadRow.__tablename__]
_ROW_COLUMNS = (RECORDS.c.seq, RECORDS.c.at_us, RECORDS.c.action, RECORDS.c.body,
                RECORDS.c.prev_hash, RECORDS.c.hash)  # fmt: skip
_SQLITE_INSERT = (
    "INSERT INTO ledger_records (seq, at_us, action, body, prev_hash, hash)"
    " VALUES (?, ?, ?, ?, ?, ?)"
)


_PG_COPY = "COPY ledger_records (seq, at_us, action, body, prev_hash, hash) FROM STDIN"


class Ledger:
    """One tamper-evident ledger in one store. Open it with ``open_ledger``."""

    def __init__(
        self,
        engine: Engine,
        *,
        hash_alg: str,
        hash_alg_explicit: bool,
        signer: Signer,
        checkpoint_every: int,
        checkpoint_seconds: float,
        replicas: Sequence[str] = (),
    ) -> None:
        self.engine = engine
        self.signer = signer
        self.checkpoint_every = checkpoint_every
        self.checkpoint_seconds = checkpoint_seconds
        self.replicas = tuple(replicas)
        self._lock = threading.Lock()
        self._closed = False
        stored = self._stored_alg()
        if stored is not None and hash_alg_explicit and stored != hash_alg:
            raise LedgerError(f"this ledger is chained with {stored}, not {hash_alg}")
        self.hash_alg = stored or hash_alg
        self._linker = Linker(self.hash_alg)

    # --- writing ---------------------------------------------------------------------------
    def append(self, event: Event) -> Receipt:
        """Append one event; durable when this returns."""
        return self.append_many([event])[0]

    def append_many(self, events: Sequence[Event]) -> list[Receipt]:
        """Append ``events`` in one transaction; durable when this returns."""
        prepared = [self._prepare(e) for e in events]
        if not prepared:
            return []
        receipts: list[Receipt] = []
        with self._lock, self._write() as conn:
            head = self._lock_head(conn)
            seq, prev = head.seq, head.hash
            linker = self._linker
            rows: list[Row] = []
            for at_us, action, body in prepared:
                seq += 1
                hash_ = linker.record_hash(seq, prev, at_us, action, body)
                rows.append((seq, at_us, action, body, prev, hash_))
                receipts.append(Receipt(seq, hash_))
                prev = hash_
            self._insert_records(conn, rows)
            cp_seq, cp_at = head.checkpoint_seq, head.checkpoint_at_us
            now_us = to_us(datetime.now().astimezone())
            cp_at = cp_at or now_us  # the clock of the first checkpoint starts at the first append
            due_time = now_us - cp_at >= self.checkpoint_seconds * 1_000_000
            if seq - cp_seq >= self.checkpoint_every or due_time:
                self._write_checkpoint(conn, seq, prev, now_us)
                cp_seq, cp_at = seq, now_us
            self._move_head(conn, seq, prev, cp_seq, cp_at)
        return receipts

    def checkpoint(self, *, only_if_due: bool = False) -> Checkpoint | None:
        """Sign the head now (None when the ledger is empty or the head is already signed).

        With ``only_if_due``, sign only when ``checkpoint_seconds`` have passed since the last
        checkpoint: a service calls this on a timer so quiet periods are signed too."""
        with self._lock, self._write() as conn:
            head = self._lock_head(conn)
            if head.seq == 0 or head.checkpoint_seq == head.seq:
                return None
            now_us = to_us(datetime.now().astimezone())
            if only_if_due and now_us - head.checkpoint_at_us < self.checkpoint_seconds * 1e6:
                return None
            cp = self._write_checkpoint(conn, head.seq, head.hash, now_us)
            conn.execute(
                update(HEAD)
                .where(HEAD.c.id == 1)
                .values(checkpoint_seq=head.seq, checkpoint_at_us=now_us)
            )
            return cp

    def _prepare(self, event: Event) -> tuple[int, str, str]:
        if not isinstance(event, Event):
            raise LedgerError(f"not an Event: {type(event).__name__}")
        body = canonical_body(event)
        check_payload(body, event)
        return to_us(event.at), event.action, body

    def _write(self) -> Any:
        conn = self.engine.connect().execution_options(**{WRITE: True})
        return _Transaction(conn)

    def _lock_head(self, conn: Connection) -> Any:
        head = conn.execute(select(HEAD).where(HEAD.c.id == 1).with_for_update()).one()
        if head.hash_alg is not None and head.hash_alg != self.hash_alg:
            raise LedgerError(f"this ledger is chained with {head.hash_alg}, not {self.hash_alg}")
        return head

    def _move_head(self, conn: Connection, seq: int, hash_: str, cp_seq: int, cp_at: int) -> None:
        """The head at record ``seq`` (hash ``hash_``), its newest checkpoint at ``cp_seq``."""
        conn.execute(
            update(HEAD)
            .where(HEAD.c.id == 1)
            .values(
                seq=seq,
                hash=hash_,
                hash_alg=self.hash_alg,
                checkpoint_seq=cp_seq,
                checkpoint_at_us=cp_at,
            )
        )

    def _insert_records(self, conn: Connection, rows: list[Row]) -> None:
        """One multi-row insert; on SQLite straight through the driver (the hot path)."""
        if self.engine.dialect.name == "sqlite":
            cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
            try:
                cursor.executemany(_SQLITE_INSERT, rows)
            finally:
                cursor.close()
            return
        if self.engine.dialect.driver == "psycopg":  # COPY: the fastest way into PostgreSQL
            cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
            with cursor.copy(_PG_COPY) as copy:
                for row in rows:
                    copy.write_row(row)
            return
        names = ("seq", "at_us", "action", "body", "prev_hash", "hash")
        conn.execute(insert(RECORDS), [dict(zip(names, row, strict=True)) for row in rows])

    def _write_checkpoint(self, conn: Connection, seq: int, hash_: str, at_us: int) -> Checkpoint:
        message = checkpoint_message(seq, hash_, at_us, self.hash_alg)
        cp = Checkpoint(seq, hash_, at_us, self.hash_alg, self.signer.algorithm,
                        self.signer.public_key_hex(), self.signer.sign(message).hex())  # fmt: skip
        conn.execute(insert(CHECKPOINTS), [cp.to_dict()])
        return cp

    # --- reading ---------------------------------------------------------------------------
    def head(self) -> tuple[int, str]:
        """(seq, hash) of the newest record; (0, GENESIS) when empty."""
        with self.engine.connect() as conn:
            row = conn.execute(select(HEAD.c.seq, HEAD.c.hash).where(HEAD.c.id == 1)).one()
            return int(row.seq), str(row.hash)

    def records(
        self,
        start_seq: int | None = None,
        end_seq: int | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        action_prefix: str | None = None,
    ) -> Iterator[LedgerRecord]:
        """Records in ``seq`` order; ``since`` inclusive, ``until`` exclusive."""
        query = _within(
            select(*_ROW_COLUMNS).order_by(RECORDS.c.seq),
            start_seq, end_seq, since, until, action_prefix,
        )  # fmt: skip
        for seq, at_us, _action, body, prev_hash, hash_ in self._stream(query):
            event = Event.model_validate_json(body)
            if action_prefix and not event.action.startswith(action_prefix):
                continue
            yield LedgerRecord(seq, from_us(at_us), event, prev_hash, hash_)

    def raw_records(
        self,
        start_seq: int = 1,
        end_seq: int | None = None,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        action_prefix: str | None = None,
    ) -> Iterator[RawRecord]:
        """Records as stored (canonical body text), for export, replication and fast reading."""
        query = _within(
            select(*_ROW_COLUMNS).order_by(RECORDS.c.seq),
            start_seq, end_seq, since, until, action_prefix,
        )  # fmt: skip
        for row in self._stream(query):
            yield RawRecord(*row)

    def body_batches(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        action_prefix: str | None = None,
        size: int = 20_000,
    ) -> Iterator[list[tuple[int, str, str]]]:
        """``(at_us, action, body)`` of records in ``seq`` order, ``size`` at a time: the fast
        read for reports over millions of records (no row objects, only the columns they use)."""
        query = _within(
            select(RECORDS.c.at_us, RECORDS.c.action, RECORDS.c.body).order_by(RECORDS.c.seq),
            None, None, since, until, action_prefix,
        )  # fmt: skip
        with self.engine.connect() as conn:
            if self.engine.dialect.name == "sqlite":
                sql = str(query.compile(self.engine, compile_kwargs={"literal_binds": True}))
                cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
                try:
                    cursor.execute(sql)
                    while batch := cursor.fetchmany(size):
                        yield batch
                finally:
                    cursor.close()
                return
            result = conn.execution_options(yield_per=size).execute(query)
            for part in result.partitions(size):
                yield [tuple(row) for row in part]  # type: ignore[misc]

    def checkpoints(
        self, start_seq: int | None = None, end_seq: int | None = None
    ) -> list[Checkpoint]:
        query = select(CHECKPOINTS).order_by(CHECKPOINTS.c.seq)
        if start_seq is not None:
            query = query.where(CHECKPOINTS.c.seq >= start_seq)
        if end_seq is not None:
            query = query.where(CHECKPOINTS.c.seq <= end_seq)
        with self.engine.connect() as conn:
            return [Checkpoint(**row._mapping) for row in conn.execute(query)]

    def _stream(self, query: Any) -> Iterator[tuple[Any, ...]]:
        with self.engine.connect() as conn:
            if self.engine.dialect.name != "sqlite":
                conn = conn.execution_options(yield_per=5000)
            for row in conn.execute(query):
                yield tuple(row)

    # --- verifying -------------------------------------------------------------------------
    def verify(
        self,
        start_seq: int | None = None,
        end_seq: int | None = None,
        *,
        trusted_key: str | None = None,
    ) -> VerifyReport:
        """Verify the chain (or ``start_seq..end_seq``) against its checkpoints and head."""
        started = time.perf_counter()
        with self.engine.connect() as conn, conn.begin():
            head_row = conn.execute(select(HEAD).where(HEAD.c.id == 1)).one()
            head = (int(head_row.seq), str(head_row.hash))
            alg = head_row.hash_alg or self.hash_alg
            first = start_seq or 1
            prev = self._prev_hash(conn, first)
            query = select(*_ROW_COLUMNS).where(RECORDS.c.seq >= first).order_by(RECORDS.c.seq)
            cps = select(CHECKPOINTS).where(CHECKPOINTS.c.seq >= first).order_by(CHECKPOINTS.c.seq)
            if end_seq is not None:
                query = query.where(RECORDS.c.seq <= end_seq)
                cps = cps.where(CHECKPOINTS.c.seq <= end_seq)
            checkpoints = [Checkpoint(**r._mapping) for r in conn.execute(cps)]
            report = verify_rows(
                self._verify_rows(conn, query),
                hash_alg=alg,
                checkpoints=checkpoints,
                start_seq=first,
                start_prev=prev,
                head=head if end_seq is None or end_seq >= head[0] else None,
                trusted_key=trusted_key,
            )
        return replace(report, seconds=time.perf_counter() - started)

    def _verify_rows(self, conn: Connection, query: Any) -> Iterator[Row]:
        if self.engine.dialect.name == "sqlite":
            # the driver's own cursor, in the same transaction: plain tuples, no row objects
            sql = str(query.compile(self.engine, compile_kwargs={"literal_binds": True}))
            cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
            try:
                yield from cursor.execute(sql)
            finally:
                cursor.close()
            return
        for row in conn.execution_options(yield_per=20000).execute(query):
            yield tuple(row)  # type: ignore[misc]

    def _prev_hash(self, conn: Connection, first: int) -> str:
        if first <= 1:
            return GENESIS
        value = conn.execute(select(RECORDS.c.hash).where(RECORDS.c.seq == first - 1)).scalar()
        if value is None:
            raise LedgerError(f"record {first - 1} is missing", where=f"seq {first - 1}")
        return str(value)

    def _stored_alg(self) -> str | None:
        with self.engine.connect() as conn:
            value = conn.execute(select(HEAD.c.hash_alg).where(HEAD.c.id == 1)).scalar()
        return str(value) if value is not None else None

    # --- copying -------------------------------------------------------------------------
    def import_raw(
        self, records: Sequence[RawRecord], checkpoints: Sequence[Checkpoint] = ()
    ) -> int:
        """Append records copied from another copy of this chain (replication, restore).

        Each record must continue the head and match its hash; checkpoints up to the new head
        that are not here yet are copied too. Returns the number of records added.
        """
        with self._lock, self._write() as conn:
            head = self._lock_head(conn)
            seq, prev = head.seq, head.hash
            linker = self._linker
            records = [r for r in records if r.seq > seq]  # already here: another shipper
            for r in records:
                if r.seq != seq + 1 or r.prev_hash != prev:
                    raise LedgerIntegrityError(
                        f"record {r.seq} does not continue this ledger at {seq}",
                        where=f"seq {r.seq}",
                    )
                if linker.record_hash(r.seq, r.prev_hash, r.at_us, r.action, r.body) != r.hash:
                    raise LedgerIntegrityError(
                        f"record {r.seq} does not match its hash", where=f"seq {r.seq}"
                    )
                seq, prev = r.seq, r.hash
            if records:
                self._insert_records(conn, [astuple(r) for r in records])
            have = set(
                conn.execute(
                    select(CHECKPOINTS.c.seq).where(CHECKPOINTS.c.seq > head.checkpoint_seq)
                ).scalars()
            )
            new = [
                cp
                for cp in checkpoints
                if cp.seq <= seq and cp.seq not in have and cp.seq > head.checkpoint_seq
            ]
            if new:
                conn.execute(insert(CHECKPOINTS), [cp.to_dict() for cp in new])
            cp_seq = max([head.checkpoint_seq, *(cp.seq for cp in new)])
            cp_at = max([head.checkpoint_at_us, *(cp.at_us for cp in new)])
            self._move_head(conn, seq, prev, cp_seq, cp_at)
        return len(records)

    def is_empty(self) -> bool:
        return self.head()[0] == 0

    # --- lifecycle -------------------------------------------------------------------------
    def close(self, *, checkpoint: bool = True) -> None:
        """Sign the head (so a later truncation shows) and release connections."""
        if self._closed:
            return
        self._closed = True
        if checkpoint:
            self.checkpoint()
        self.engine.dispose()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


class _Transaction:
    """``with`` a write connection: commit on success, roll back on error, always close."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def __enter__(self) -> Connection:
        self.conn.begin()
        return self.conn

    def __exit__(self, exc_type: object, *_rest: object) -> None:
        try:
            if exc_type is None:
                self.conn.commit()
            else:
                self.conn.rollback()
        finally:
            self.conn.close()


def _within(
    query: Select[Any], start_seq: int | None, end_seq: int | None,
    since: datetime | None, until: datetime | None, action_prefix: str | None,
) -> Select[Any]:  # fmt: skip
    """``query`` limited to seqs ``start_seq..end_seq``, times ``[since, until)`` and actions
    starting with ``action_prefix`` (each when given)."""
    if start_seq is not None:
        query = query.where(RECORDS.c.seq >= start_seq)
    if end_seq is not None:
        query = query.where(RECORDS.c.seq <= end_seq)
    if since is not None:
        query = query.where(RECORDS.c.at_us >= to_us(since))
    if until is not None:
        query = query.where(RECORDS.c.at_us < to_us(until))
    if action_prefix:
        query = query.where(RECORDS.c.action.startswith(action_prefix, autoescape=True))
    return query
