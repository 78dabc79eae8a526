"""The ledger: durable appends per second and verification speed, each beside a baseline.

Appends: the same events, batches of 500, on a SQLite store (WAL, synchronous=FULL), each batch
one committed transaction. Baseline: plain SQLAlchemy Core inserts of the same events, serialised
with ``model_dump_json``, into a plain table in the same batch sizes with the same durability —
what an audit log without guard, chain or checkpoints costs.
Verify: the whole chain checked (SHA-256 and SM3) beside only reading the same rows back.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from sqlalchemy import BigInteger, Column, Integer, MetaData, String, Table, Text, insert, text

from bench.harness import Row, best_of
from medshield.ledger import DataObject, Event, open_ledger
from medshield.store.db import connect

BATCH = 500
CORPUS = "generated events (Chinese detail, 1 table each)"


def _events(n: int) -> list[Event]:
    return [
        Event(
            action="api.call",
            actor=f"doctor_{i % 97:04d}",
            institution="渝州大学附属第一医院",
            source_ip="10.12.0.7",
            object=DataObject(source="his_a", table="门诊处方", columns=("诊断", "药品")),
            elements=("DE05.01.025.00",),
            levels=("sensitive",),
            rows=i % 50,
            outcome="allow",
            policy_version="2026.11",
            duration_ms=3.5,
            detail={"诊断": "免疫性血小板减少症", "scenario": "clinical_pathway", "n": i},
        )
        for i in range(n)
    ]


def _plain_inserts(url: str, events: list[Event]) -> float:
    engine = connect(url)
    table = Table(
        "plain_log",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("at", String(40)),
        Column("action", String(120)),
        Column("body", Text),
    )
    table.metadata.create_all(engine)
    started = time.perf_counter()
    for i in range(0, len(events), BATCH):
        chunk = events[i : i + BATCH]
        rows = [
            {
                "id": i + k + 1,
                "at": e.at.isoformat(),
                "action": e.action,
                "body": e.model_dump_json(),
            }
            for k, e in enumerate(chunk)
        ]
        with engine.begin() as conn:
            conn.execute(insert(table), rows)
    seconds = time.perf_counter() - started
    engine.dispose()
    return len(events) / seconds


def _ledger_appends(url: str, events: list[Event], alg: str) -> float:
    ledger = open_ledger(url, hash_alg=alg)
    started = time.perf_counter()
    for i in range(0, len(events), BATCH):
        ledger.append_many(events[i : i + BATCH])
    seconds = time.perf_counter() - started
    ledger.close()
    return len(events) / seconds


def _read_only(url: str) -> float:
    engine = connect(url)
    with engine.connect() as conn:
        started = time.perf_counter()
        n = sum(
            1
            for _ in conn.execute(
                text(
                    "SELECT seq, at_us, action, body, prev_hash, hash FROM ledger_records ORDER BY seq"
                )
            )
        )
        seconds = time.perf_counter() - started
    engine.dispose()
    return n / seconds


def run(quick: bool) -> list[Row]:
    n = 5_000 if quick else 100_000
    events = _events(n)
    folder = Path(tempfile.mkdtemp(prefix="bench-ledger-"))
    rows: list[Row] = []
    try:
        plain = _plain_inserts(f"sqlite:///{folder / 'plain.db'}", events)
        for alg in ("sha256", "sm3"):
            url = f"sqlite:///{folder / f'{alg}.db'}"
            rate = _ledger_appends(url, events, alg)
            rows.append(Row(f"ledger durable appends, SQLite, batch {BATCH}, {alg}", rate, "events/s",
                            "plain Core inserts", plain, ">= 20,000/s and >= 0.5x", CORPUS))  # fmt: skip
            ledger = open_ledger(url, hash_alg=alg)
            checked = 0

            def verify() -> None:
                nonlocal checked
                report = ledger.verify()
                assert report.ok, report.problem
                checked = report.checked

            seconds = best_of(verify, repeat=3)
            ledger.close(checkpoint=False)
            read = max(_read_only(url) for _ in range(3))
            rows.append(Row(f"ledger verify, SQLite, {alg}", checked / seconds, "events/s",
                            "read rows only", read, ">= 200,000/s", CORPUS))  # fmt: skip
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return rows
