"""Kill a masking job with SIGKILL mid-table; the resumed job equals a clean run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import polars as pl
import sqlalchemy as sa

from medshield.mask.engine import mask_database
from medshield.mask.engine.jobs import DONE, WRITING, JobBook
from medshield.mask.operators.base import MaskContext
from medshield.store.db import connect

from .conftest import PATIENT, RULES, build_plan, patient_rows

KEY = b"k" * 32
SCRIPT = textwrap.dedent(
    """
    import sys, time
    from medshield.mask.engine import mask_database
    from medshield.mask.engine import plan_from_rules
    from medshield.mask.operators.base import MaskContext

    source, target, store, rules = sys.argv[1], sys.argv[2], sys.argv[3], eval(sys.argv[4])
    context = MaskContext(keys={"k1": b"k" * 32}, active_key="k1")
    plan = plan_from_rules(rules, context)

    def progress(table, rows):
        print(table, rows, flush=True)
        time.sleep(0.02)

    mask_database(source, target, plans={"first": plan, "second": plan}, batch_rows=100,
                  store_url=store, job_id="job-kill", progress=progress)
    print("finished", flush=True)
    """
)


def _load(url: str, rows: list[dict[str, object]]) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        for name in ("first", "second"):
            table = PATIENT.to_metadata(sa.MetaData(), name=name)
            table.create(connection)
            connection.execute(table.insert(), rows)
    engine.dispose()


def _frame(url: str, table: str) -> pl.DataFrame:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(sa.text(f"SELECT * FROM {table} ORDER BY id")).mappings().all()
    engine.dispose()
    return pl.DataFrame([dict(r) for r in rows], infer_schema_length=None)


def test_sigkill_mid_table_then_resume(tmp_path: Path) -> None:
    source = f"sqlite:///{tmp_path / 'his.db'}"
    target = f"sqlite:///{tmp_path / 'out.db'}"
    clean = f"sqlite:///{tmp_path / 'clean.db'}"
    store = f"sqlite:///{tmp_path / 'store.db'}"
    _load(source, patient_rows(2_000, seed=3))
    script = tmp_path / "job.py"
    script.write_text(SCRIPT, encoding="utf-8")
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and script
        [sys.executable, str(script), source, target, store, repr(RULES)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ},
    )
    assert process.stdout is not None
    for line in process.stdout:
        table, rows = line.split()
        if table == "second" and int(rows) >= 700:
            break
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL

    book = JobBook(connect(store))
    states = book.tables("job-kill")
    assert states["first"] == (DONE, 2_000)
    assert states["second"][0] == WRITING
    names = sa.inspect(sa.create_engine(target)).get_table_names()
    assert "second" not in names  # the partial copy is only in staging
    assert "second__ms_staging" in names

    context = MaskContext(keys={"k1": KEY}, active_key="k1")
    plans = {"first": build_plan(context), "second": build_plan(context)}
    resumed = mask_database(
        source, target, plans=plans, store_url=store, job_id="job-kill", resume=True
    )
    assert [(t.table, t.skipped) for t in resumed.tables] == [("first", True), ("second", False)]
    assert book.tables("job-kill") == {"first": (DONE, 2_000), "second": (DONE, 2_000)}
    assert "second__ms_staging" not in sa.inspect(sa.create_engine(target)).get_table_names()

    mask_database(source, clean, plans=plans, store_url=store)
    for table in ("first", "second"):
        got, want = _frame(target, table), _frame(clean, table)
        assert got.height == 2_000
        assert got.equals(want), table
