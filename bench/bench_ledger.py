"""The ledger: durable appends per second and verification speed, each beside a baseline.

Appends: the same events, batches of 500, on a SQLite store (WAL, synchronous=FULL), each batch
one committed transaction. Baseline: plain SQLAlchemy Core inserts of the same events, serialised
with ``model_dump_json``, into a plain table in the same batch sizes with the same durability —
what an audit log without guard, chain or checkpoints costs.
Verify: the whole chain checked (SHA-256 and SM3) beside only reading the same rows back, in
wall time and in CPU time of this process (the CPU figure holds when the machine is shared).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import Column, Integer, MetaData, String, Table, Text, create_engine, insert, text

from bench.harness import Row
from medshield.ledger import DataObject, Event, open_ledger
from medshield.store.db import connect

BATCH = 500
SELECT = "SELECT seq, at_us, action, body, prev_hash, hash FROM ledger_records ORDER BY seq"
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


def _plain_inserts(url: str, events: list[Event]) -> tuple[float, float]:
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
    started, cpu_started = time.perf_counter(), time.process_time()
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
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    engine.dispose()
    return len(events) / seconds, len(events) / cpu


def _ledger_appends(url: str, events: list[Event], alg: str) -> tuple[float, float]:
    ledger = open_ledger(url, hash_alg=alg)
    started, cpu_started = time.perf_counter(), time.process_time()
    for i in range(0, len(events), BATCH):
        ledger.append_many(events[i : i + BATCH])
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    ledger.close()
    return len(events) / seconds, len(events) / cpu


def _verify_times(url: str, alg: str) -> tuple[float, float, int]:
    """Best wall and CPU seconds of three full verifications, and the records checked."""
    ledger = open_ledger(url, hash_alg=alg)
    wall = cpu = float("inf")
    checked = 0
    for _ in range(3):
        started, cpu_started = time.perf_counter(), time.process_time()
        report = ledger.verify()
        wall = min(wall, time.perf_counter() - started)
        cpu = min(cpu, time.process_time() - cpu_started)
        assert report.ok, report.problem
        checked = report.checked
    ledger.close(checkpoint=False)
    return wall, cpu, checked


def _read_times(url: str) -> tuple[float, float]:
    """Rows per second (wall, CPU) of reading the same rows back with the driver, best of 3."""
    engine = connect(url)
    wall = cpu = 0.0
    with engine.connect() as conn:
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        for _ in range(3):
            started, cpu_started = time.perf_counter(), time.process_time()
            n = sum(1 for _ in cursor.execute(SELECT))
            wall = max(wall, n / (time.perf_counter() - started))
            cpu = max(cpu, n / max(time.process_time() - cpu_started, 1e-9))
    engine.dispose()
    return wall, cpu


def _best_appends(folder: Path, events: list[Event], alg: str, repeat: int) -> dict[str, float]:
    """Ledger and plain inserts taken in turns (fresh stores each time), best of ``repeat``."""
    best = {"plain": 0.0, "plain_cpu": 0.0, "ledger": 0.0, "ledger_cpu": 0.0}
    for i in range(repeat):
        plain, plain_cpu = _plain_inserts(f"sqlite:///{folder / f'plain-{alg}-{i}.db'}", events)
        url = (
            f"sqlite:///{folder / f'{alg}.db'}"
            if i == 0
            else f"sqlite:///{folder / f'{alg}-{i}.db'}"
        )
        rate, rate_cpu = _ledger_appends(url, events, alg)
        for key, value in (("plain", plain), ("plain_cpu", plain_cpu), ("ledger", rate),
                           ("ledger_cpu", rate_cpu)):  # fmt: skip
            best[key] = max(best[key], value)
    return best


def run(quick: bool) -> list[Row]:
    n = 5_000 if quick else 50_000
    events = _events(n)
    folder = Path(tempfile.mkdtemp(prefix="bench-ledger-"))
    rows: list[Row] = []
    try:
        for alg in ("sha256", "sm3"):
            best = _best_appends(folder, events, alg, repeat=3)
            rows.append(Row(f"ledger durable appends, SQLite, batch {BATCH}, {alg}", best["ledger"],
                            "events/s", "plain Core inserts", best["plain"],
                            ">= 20,000/s and >= 0.5x", CORPUS))  # fmt: skip
            rows.append(Row(f"ledger appends, SQLite, {alg}, per CPU second", best["ledger_cpu"],
                            "events/cpu-s", "plain Core inserts", best["plain_cpu"], ">= 0.5x",
                            CORPUS))  # fmt: skip
            url = f"sqlite:///{folder / f'{alg}.db'}"
            wall, cpu, checked = _verify_times(url, alg)
            read_wall, read_cpu = _read_times(url)
            rows.append(Row(f"ledger verify, SQLite, {alg}", checked / wall, "events/s",
                            "read rows only", read_wall, ">= 200,000/s", CORPUS))  # fmt: skip
            rows.append(Row(f"ledger verify, SQLite, {alg}, per CPU second", checked / cpu,
                            "events/cpu-s", "read rows only", read_cpu, ">= 200,000/s", CORPUS))  # fmt: skip
        rows.extend(_postgres_rows(events[: 2_000 if quick else 20_000]))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return rows


def _postgres_rows(events: list[Event]) -> list[Row]:
    """The same appends on the local PostgreSQL (``make services`` starts it). A server that
    cannot be reached fails the benchmark: its figures are never dropped silently."""
    admin_url = os.environ.get(
        "MEDSHIELD_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            names = [f"bench_ledger_{uuid.uuid4().hex[:8]}" for _ in range(2)]
            for name in names:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        raise RuntimeError(f"PostgreSQL figures cannot be measured at {admin_url}: {exc}") from exc
    base = admin_url.rsplit("/", 1)[0]
    try:
        plain, _ = _plain_inserts(f"{base}/{names[0]}", events)
        rate, _ = _ledger_appends(f"{base}/{names[1]}", events, "sha256")
        return [Row(f"ledger durable appends, PostgreSQL, batch {BATCH}, sha256", rate, "events/s",
                    "plain Core inserts", plain, ">= 0.5x", CORPUS)]  # fmt: skip
    finally:
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
