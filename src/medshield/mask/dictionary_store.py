"""Dictionary batches in the platform store: import (approved, recorded), list, load.

A batch is imported only under a ``BatchApproval``: an approved ``dictionary_batch`` request
(``governance.approved_batch`` reads it from the ledger and refuses a pending, rejected, expired
or already used one) whose subject names the digest of exactly the entries of the file. The
ledger event of the import carries the approval's request id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from medshield.errors import ApprovalError, StoreError, UnknownNameError
from medshield.mask.dictionary import (
    MaskingDictionary,
    entries_digest,
    read_batch_file,
    starter_dictionary,
)
from medshield.store.db import connect
from medshield.store.models.masking import MaskingDictionaryBatch, MaskingDictionaryEntry

ACTION = "mask.dictionary.batch"


@dataclass(frozen=True)
class BatchApproval:
    """An approved ``dictionary_batch`` request: its id, who approved it, why, and the digest of
    the entries it covers (``entries_digest``)."""

    request: int
    approved_by: str
    reason: str
    digest: str


@dataclass(frozen=True)
class BatchInfo:
    batch: int
    approved_by: str
    reason: str
    at: datetime
    source: str
    entries: int
    digest: str

    @classmethod
    def of(cls, row: MaskingDictionaryBatch) -> BatchInfo:
        return cls(
            row.batch, row.approved_by, row.reason, row.at, row.source, row.entries, row.digest
        )


def _store(engine: Engine | None) -> Engine:
    return engine if engine is not None else connect()


def import_batch(path: Path, *, approval: BatchApproval, engine: Engine | None = None) -> BatchInfo:
    """Store the CSV ``path`` as the next batch under ``approval`` and record it in the ledger;
    ApprovalError when the approval covers other entries than the file's (fail closed)."""
    entries = read_batch_file(path)
    digest = entries_digest(entries)
    if approval.digest != digest:
        raise ApprovalError(
            f"approval {approval.request} covers the batch {approval.digest[:19]}..., "
            f"not this file ({digest[:19]}...)",
            where=str(path),
        )
    approved_by, reason = approval.approved_by, approval.reason or f"approval {approval.request}"
    store = _store(engine)
    try:
        with Session(store) as session, session.begin():
            latest = session.scalar(select(func.max(MaskingDictionaryBatch.batch)))
            row = MaskingDictionaryBatch(
                batch=(latest or 0) + 1,
                approved_by=approved_by.strip(),
                reason=reason.strip(),
                at=datetime.now(UTC),
                source=path.name[:300],
                entries=len(entries),
                digest=digest,
            )
            session.add(row)
            session.flush()
            session.add_all(
                MaskingDictionaryEntry(batch=row.batch, kind=k, term=t, code=c)
                for k, t, c in entries
            )
            info = BatchInfo.of(row)
    except IntegrityError:
        raise StoreError("another batch was imported at the same time; retry") from None
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot store the batch: {exc.__class__.__name__}") from None
    _record(info, approval.request, store)
    return info


def _record(info: BatchInfo, approval: int, store: Engine) -> None:
    from medshield.ledger import DataObject, Event, open_ledger

    event = Event(
        action=ACTION,
        actor=info.approved_by,
        object=DataObject(path=info.source),
        reasons=(info.reason,),
        payload_digest=info.digest,
        detail={"batch": info.batch, "entries": info.entries, "approval": approval},
    )
    ledger = open_ledger(store.url.render_as_string(hide_password=False))
    try:
        ledger.append(event)
    finally:
        ledger.close()


def list_batches(engine: Engine | None = None) -> list[BatchInfo]:
    with Session(_store(engine)) as session:
        rows = session.scalars(
            select(MaskingDictionaryBatch).order_by(MaskingDictionaryBatch.batch)
        )
        return [BatchInfo.of(r) for r in rows]


def batch_entries(batch: int, engine: Engine | None = None) -> list[tuple[str, str, str]]:
    with Session(_store(engine)) as session:
        if session.get(MaskingDictionaryBatch, batch) is None:
            raise UnknownNameError(f"unknown dictionary batch {batch}")
        rows = session.execute(
            select(
                MaskingDictionaryEntry.kind,
                MaskingDictionaryEntry.term,
                MaskingDictionaryEntry.code,
            )
            .where(MaskingDictionaryEntry.batch == batch)
            .order_by(MaskingDictionaryEntry.id)
        )
        return [(k, t, c) for k, t, c in rows]


_LOADED: dict[tuple[str, int], MaskingDictionary] = {}


def load_dictionary(batch: int | None, engine: Engine | None = None) -> MaskingDictionary:
    """The dictionary as of ``batch`` (the starter dictionary for None or 0). Batches never
    change once written, so loaded dictionaries are cached per store and batch."""
    if not batch:
        return starter_dictionary()
    store = _store(engine)
    key = (store.url.render_as_string(hide_password=True), batch)
    if key not in _LOADED:
        known = {b.batch for b in list_batches(store)}
        if batch not in known:
            raise UnknownNameError(
                f"the policy pins dictionary batch {batch}, which the store does not hold",
                where="masking.dictionary_batch",
            )
        current = starter_dictionary()
        for number in sorted(b for b in known if b <= batch):
            current = current.applied(number, batch_entries(number, store))
        _LOADED[key] = current
    return _LOADED[key]
