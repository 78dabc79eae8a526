"""Synthetic alliance: generation speed on SQLite.

1. Patient rows per second (people, patient table, SQLite insert) beside a plain per-row Python
   generator of the same fields (``random``, a checksum loop per ID) writing the same table.
2. All tables of the whole alliance per second beside the write floor: plain sqlite3
   executemany of the very rows the build produced, read back into memory beforehand.
"""

from __future__ import annotations

import random
import sqlite3
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from bench.harness import Row, best_timed
from medshield.elements.divisions import divisions
from medshield.policy import load_bundle
from medshield.synth import build_alliance
from medshield.synth import vocab_people as v
from medshield.synth.patients import patients
from medshield.synth.people import REFERENCE_DAY, make_people
from medshield.synth.schema import PATIENT
from medshield.synth.site import Site
from medshield.synth.styles import style_for
from medshield.synth.writer import SqliteWriter

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _vectorised(n: int, folder: Path) -> None:
    bundle = load_bundle()
    inst = bundle.institutions[0]
    div = divisions()
    people = make_people(np.random.default_rng(1), div, n, frozenset({inst.location.admin_code}))
    site = Site(inst, 0, style_for(0), np.random.default_rng(2), np.arange(n))
    writer = SqliteWriter(f"sqlite:///{folder / 'vectorised.db'}")
    writer.write(PATIENT, site.style, patients(site, people))
    writer.close()


def _naive(n: int, folder: Path) -> None:
    """The obvious way: one person at a time with ``random``."""
    rnd = random.Random(1)  # noqa: S311 - test data
    div = divisions()
    counties = [c.code for c in div.counties_of("50")]
    surnames = [s for s, _ in v.SURNAMES]
    rows = []
    for i in range(n):
        male = rnd.random() < 0.49
        born = REFERENCE_DAY - timedelta(days=rnd.randrange(1, 95 * 365))
        county = rnd.choice(counties)
        body = f"{county}{born:%Y%m%d}{rnd.randrange(100):02d}{rnd.randrange(5) * 2 + male}"
        id_no = (
            body + "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS, strict=True)) % 11]
        )
        towns = div.towns_of(county) or ("",)
        address = f"{div.full_name(county)}{rnd.choice(towns)}{rnd.choice(v.ROADS)}{rnd.randrange(1, 600)}号"
        name = rnd.choice(surnames) + rnd.choice(v.GIVEN_MALE if male else v.GIVEN_FEMALE)
        mobile = f"{rnd.choice(v.MOBILE_SEGMENTS)[0]}{rnd.randrange(10**8):08d}"
        age = (REFERENCE_DAY - born).days // 365
        rows.append((i + 1, f"{i + 1:010d}", name, "1" if male else "2", born.isoformat(), age, "01",
                     id_no, rnd.choice(v.ETHNICITIES)[0], "20", rnd.choice(v.OCCUPATIONS), None,
                     mobile, None, address, rnd.choice(surnames) + "军", "1",
                     f"139{rnd.randrange(10**8):08d}", rnd.choice(v.INSURANCE)[0], None, None,
                     f"{date(2020, 1, 1).isoformat()} 08:00:00"))  # fmt: skip
    (folder / "naive.db").unlink(missing_ok=True)
    conn = sqlite3.connect(folder / "naive.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute(f"CREATE TABLE patient ({', '.join(c.key for c in PATIENT.columns)})")
    conn.execute("BEGIN")
    marks = ", ".join("?" for _ in PATIENT.columns)
    conn.executemany(f"INSERT INTO patient VALUES ({marks})", rows)  # noqa: S608
    conn.execute("COMMIT")
    conn.close()


def _write_floor(manifest_dbs: dict[str, str], folder: Path) -> tuple[int, float]:
    """Rows of every table read back, then written with plain executemany: (rows, seconds)."""
    loaded = []
    for url in manifest_dbs.values():
        conn = sqlite3.connect(url.removeprefix("sqlite:///"))
        for name, ddl in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"):
            loaded.append((ddl, name, conn.execute(f'SELECT * FROM "{name}"').fetchall()))  # noqa: S608
        conn.close()
    started = time.perf_counter()
    total = 0
    for i, (ddl, name, rows) in enumerate(loaded):
        conn = sqlite3.connect(folder / f"floor{i}.db", isolation_level=None)
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute(ddl)
        conn.execute("BEGIN")
        if rows:
            marks = ", ".join("?" for _ in rows[0])
            conn.executemany(f'INSERT INTO "{name}" VALUES ({marks})', rows)  # noqa: S608
        conn.execute("COMMIT")
        conn.close()
        total += len(rows)
    return total, time.perf_counter() - started


def run(quick: bool) -> list[Row]:
    n = 5_000 if quick else 50_000
    people = 1_000 if quick else 20_000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        divisions().full_name("500103")  # load the table outside the timings
        fast, fast_cpu = best_timed(lambda: _vectorised(n, folder), 2)
        slow, slow_cpu = best_timed(lambda: _naive(n, folder), 2)
        started = time.perf_counter()
        manifest = build_alliance(
            folder / "alliance", bundle=load_bundle(), patients=people, seed=7
        )
        build = time.perf_counter() - started
        rows, floor = _write_floor(manifest.databases, folder)
    corpus = f"synthetic, seed 7, {n:,} patients"
    return [
        Row("synth: patient rows/s (people + patient table + SQLite)", n / fast, "rows/s",
            "naive per-row Python + executemany", n / slow, ">= 50,000 rows/s", corpus),
        Row("synth: patient rows per CPU-second (same work)", n / fast_cpu, "rows/cpu-s",
            "naive per-row Python + executemany", n / slow_cpu, ">= 50,000 rows/s", corpus),
        Row(f"synth: alliance rows/s, 12 tables x 12 DBs ({people:,} people)", manifest.total_rows / build,
            "rows/s", "sqlite3 executemany of the same rows", rows / floor, "",
            f"synthetic, seed 7, {manifest.total_rows:,} rows"),
    ]  # fmt: skip
