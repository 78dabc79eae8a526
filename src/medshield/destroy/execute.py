"""Destroy selected rows of a source table, then prove they are gone.

Delete: the primary keys of the selected rows are read, the rows deleted by key and predicate in
one transaction, and afterwards two counts must be zero: rows matching the predicate, and rows
holding any of the deleted keys. Crypto-shred: the rows stay, but the per-patient data keys their
values were sealed with are deleted (``keys.py``); it is refused when a key also seals rows outside
the selection, since shredding it would destroy more than was approved.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import PurePath
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    MetaData,
    Table,
    create_engine,
    delete,
    func,
    select,
    tuple_,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import NoSuchTableError, OperationalError, SQLAlchemyError

from medshield.destroy.certificate import Certificate, Method, key_digest
from medshield.destroy.keys import PatientKeys
from medshield.destroy.selection import Selection, predicate
from medshield.errors import AccessDeniedError, InputError, ServiceUnavailableError, StoreError
from medshield.ledger.canonical import canonical_body
from medshield.ledger.guard import check_payload
from medshield.lineage.steps import check_pseudonym
from medshield.store.sources import source_url as writable_source

CHUNK = 500


def safe_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def source_name(url: str) -> str:
    """A short name of the source for the data-flow graph: its database (file stem for SQLite)."""
    parsed = make_url(url)
    database = parsed.database or parsed.host or "source"
    return PurePath(database).stem if parsed.get_backend_name() == "sqlite" else database


def _chunks(keys: Sequence[tuple[Any, ...]]) -> Iterator[Sequence[tuple[Any, ...]]]:
    for start in range(0, len(keys), CHUNK):
        yield keys[start : start + CHUNK]


def _key_in(table: Table, keys: Sequence[tuple[Any, ...]]) -> ColumnElement[bool]:
    columns = list(table.primary_key.columns)
    if len(columns) == 1:
        return columns[0].in_([k[0] for k in keys])
    return tuple_(*columns).in_(keys)


def _reflect(engine: Engine, name: str) -> Table:
    try:
        table = Table(name, MetaData(), autoload_with=engine)
    except NoSuchTableError:
        raise InputError(f"no table {name!r}", where=safe_url(str(engine.url))) from None
    if not table.primary_key.columns:
        raise InputError(
            "the table has no primary key: deletions could not be verified row by row",
            where=name,
        )
    return table


def _selected_keys(
    conn: Connection, table: Table, where: ColumnElement[bool]
) -> list[tuple[Any, ...]]:
    columns = list(table.primary_key.columns)
    return [tuple(row) for row in conn.execute(select(*columns).where(where).order_by(*columns))]


def _patients(
    conn: Connection, table: Table, where: ColumnElement[bool], column: str | None
) -> tuple[str, ...]:
    """The keyed pseudonyms in ``column`` of the selected rows; a raw identifier stops it all."""
    if column is None:
        return ()
    if column not in table.c:
        raise InputError(f"no column {column!r}", where=table.name)
    values = conn.scalars(select(table.c[column]).where(where).distinct())
    return tuple(sorted(check_pseudonym(str(v)) for v in values if v is not None))


def _remaining(
    engine: Engine, table: Table, where: ColumnElement[bool], keys: Sequence[tuple[Any, ...]]
) -> tuple[int, int]:
    with engine.connect() as conn:
        by_predicate = conn.scalar(select(func.count()).select_from(table).where(where)) or 0
        by_key = sum(
            conn.scalar(select(func.count()).select_from(table).where(_key_in(table, chunk))) or 0
            for chunk in _chunks(keys)
        )
    return by_predicate, by_key


def _shred(
    engine: Engine,
    keys_url: str | None,
    table: Table,
    where: ColumnElement[bool],
    key_column: str | None,
) -> tuple[list[str], PatientKeys]:
    if not key_column or key_column not in table.c:
        raise InputError(
            "crypto_shred needs --key-column naming the data-subject column", where=table.name
        )
    subject = table.c[key_column]
    with engine.connect() as conn:
        subjects = sorted(
            {str(v) for v in conn.scalars(select(subject).where(where).distinct()) if v is not None}
        )
        outside = 0  # rows of these subjects not selected (a NULL predicate counts as outside)
        for start in range(0, len(subjects), CHUNK):
            chunk = subjects[start : start + CHUNK]
            count = select(func.count()).select_from(table).where(subject.in_(chunk))
            outside += (conn.scalar(count) or 0) - (conn.scalar(count.where(where)) or 0)
    if outside:
        raise AccessDeniedError(
            f"{outside} rows outside the selection share these data keys; shredding them would"
            " destroy more than was approved",
            where=table.name,
        )
    return subjects, PatientKeys(create_engine(keys_url) if keys_url else engine)


def destroy(
    source_url: str,
    selection: Selection,
    *,
    approved_by: str | None,
    operator: str,
    method: Method = "delete",
    dry_run: bool = False,
    key_column: str | None = None,
    keys_url: str | None = None,
    retention_rule: str | None = None,
    patient_column: str | None = None,
    now: datetime | None = None,
) -> Certificate:
    """Destroy the selected rows (or their keys) and return the unrecorded certificate.

    ``patient_column`` (or, for crypto-shred, ``key_column``) names a column of keyed
    pseudonyms: the lineage step then lists whose data was destroyed.
    """
    if not approved_by or not approved_by.strip():
        raise AccessDeniedError("destruction needs an approver (--approved-by): refused")
    started = now or datetime.now(UTC)
    cert = Certificate(
        certificate_id=str(uuid.uuid4()), source=source_name(source_url),
        source_url=safe_url(source_url), table=selection.table, method=method,
        selection=selection.describe(started), approved_by=approved_by.strip(),
        operator=operator, rows=0, key_digest=key_digest([]), remaining_by_predicate=0,
        remaining_by_key=0, started=started, finished=started, retention_rule=retention_rule,
        dry_run=dry_run,
    )  # fmt: skip
    # The certificate must be recordable before anything is destroyed: a selection holding a
    # raw identifier would otherwise leave a destruction the ledger refuses to certify.
    preflight = cert.event()
    check_payload(canonical_body(preflight), preflight)
    engine = _open(source_url)
    try:
        table = _reflect(engine, selection.table)
        where = predicate(table, selection, engine.dialect.name, started)
        with engine.begin() as conn:
            keys = _selected_keys(conn, table, where)
            cert.patients = _patients(conn, table, where, patient_column or key_column)
            if method == "delete" and not dry_run:
                for chunk in _chunks(keys):
                    conn.execute(delete(table).where(where, _key_in(table, chunk)))
        if method == "crypto_shred":
            subjects, store = _shred(engine, keys_url, table, where, key_column)
            cert.keys_shredded = 0 if dry_run else store.shred(subjects)
            left = 0 if dry_run else store.present(subjects)
            remaining = (left, left)
        else:
            remaining = (0, 0) if dry_run else _remaining(engine, table, where, keys)
    except SQLAlchemyError as exc:  # e.g. a column named in --where that does not exist
        reason = getattr(exc, "orig", None) or exc
        raise StoreError(f"destruction failed: {reason}", where=safe_url(source_url)) from None
    finally:
        engine.dispose()
    cert.rows, cert.key_digest = len(keys), key_digest(keys)
    cert.remaining_by_predicate, cert.remaining_by_key = remaining
    cert.finished = datetime.now(UTC)
    return cert


def _open(source_url: str) -> Engine:
    """An engine on the source, checked reachable."""
    try:
        engine = create_engine(writable_source(source_url, write=True))
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise InputError(f"cannot open source: {exc}") from None
    try:
        with engine.connect():
            pass
    except OperationalError as exc:
        engine.dispose()
        raise ServiceUnavailableError(
            f"source unreachable: {exc.orig}", where=safe_url(source_url)
        ) from None
    return engine
