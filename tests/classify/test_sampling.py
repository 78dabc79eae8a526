"""A random sample that runs past the timeout falls back to the first rows (docs/classify.md)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from medshield.classify.sampling import Sampling, sample_table
from medshield.classify.scan import ColumnInfo, TableInfo, open_source
from medshield.errors import ClassificationError

# Each row costs 2 ms to produce: the first five come at once, a random order needs them all.
SLOW_VIEW = (
    "CREATE FUNCTION slow(i integer) RETURNS integer VOLATILE LANGUAGE plpgsql AS "
    "$$ BEGIN PERFORM pg_sleep(0.002); RETURN i; END $$",
    "CREATE VIEW jzjl AS SELECT slow(i) AS jzlsh FROM generate_series(1, 5000) AS i",
)
JZJL = TableInfo(name="jzjl", columns=(ColumnInfo(name="jzlsh", type="INTEGER"),))


@pytest.mark.postgres
def test_a_random_sample_past_the_timeout_falls_back_to_the_first_rows(postgres_url: str) -> None:
    """Catches the mutation that removes the fallback in ``classify/sampling.py``: the random
    sample (``ORDER BY random()`` must produce all 5000 rows, 10 s) hits the 1 s statement
    timeout, and without the fallback the table cannot be sampled at all."""
    setup = create_engine(postgres_url)
    with setup.begin() as conn:
        for statement in SLOW_VIEW:
            conn.execute(text(statement))
    setup.dispose()
    engine = open_source(postgres_url)
    try:
        _, values = sample_table(engine, JZJL, 5, Sampling.RANDOM, timeout_s=1.0)
    finally:
        engine.dispose()
    assert values == {"jzlsh": ["1", "2", "3", "4", "5"]}


def test_a_first_rows_sample_that_fails_is_an_error_not_a_fallback(tmp_path: Path) -> None:
    """The fallback is for the random sample only: the first rows failing is reported."""
    sqlite3.connect(tmp_path / "his.db").close()  # an existing database without the table
    engine = open_source(f"sqlite:///{tmp_path / 'his.db'}")
    try:
        with pytest.raises(ClassificationError, match="cannot sample"):
            sample_table(engine, JZJL, 5, Sampling.FIRST, timeout_s=1.0)
    finally:
        engine.dispose()
