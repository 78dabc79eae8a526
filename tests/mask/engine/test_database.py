"""Static masking database -> database: SQLite -> SQLite and PostgreSQL -> MariaDB."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest
import sqlalchemy as sa

from medshield.errors import InputError, MaskingError, UnknownNameError
from medshield.ledger import open_ledger
from medshield.mask.engine import OperatorPlan, mask_database
from medshield.mask.engine.jobs import DONE, WRITING, JobBook
from medshield.mask.engine.schema import staging_name
from medshield.store.db import connect

from .conftest import load_patients, patient_rows


def _read(url: str, table: str = "patient") -> pl.DataFrame:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(sa.text(f"SELECT * FROM {table} ORDER BY id")).mappings().all()
        names = list(sa.inspect(engine).get_table_names())
    engine.dispose()
    assert staging_name(table) not in names
    return pl.DataFrame([dict(r) for r in rows], infer_schema_length=None)


def _check_masked(source: list[dict[str, Any]], target: pl.DataFrame, plan: OperatorPlan) -> None:
    original = pl.DataFrame(source)
    assert target.height == original.height
    assert target["id"].to_list() == original["id"].to_list()
    assert target["diagnosis"].to_list() == original["diagnosis"].to_list()
    for column in ("name", "id_no", "phone", "address", "age"):
        operator = plan[column]
        assert operator is not None
        expected = operator.apply(original[column]).to_list()
        assert target[column].to_list() == expected, column
    assert not set(target["phone"]) & set(original["phone"])
    assert not set(target["id_no"]) & set(original["id_no"])
    # Chinese text survives the round trip: the surname is kept, the rest covered
    for name, masked in zip(original["name"], target["name"], strict=True):
        assert masked[0] == name[0] and "*" in masked


def test_sqlite_to_sqlite(tmp_path: Path, sqlite_url: str, patient_plan: OperatorPlan) -> None:
    source, target = f"sqlite:///{tmp_path / 'his.db'}", f"sqlite:///{tmp_path / 'out.db'}"
    rows = patient_rows(257)
    load_patients(source, rows)
    seen: list[int] = []
    result = mask_database(
        source,
        target,
        plans={"patient": patient_plan},
        batch_rows=50,
        store_url=sqlite_url,
        progress=lambda _t, n: seen.append(n),
    )
    assert seen == [50, 100, 150, 200, 250, 257]
    assert result.rows == 257
    _check_masked(rows, _read(target), patient_plan)
    assert JobBook(connect(sqlite_url)).tables(result.job_id) == {"patient": (DONE, 257)}
    with open_ledger(sqlite_url) as ledger:
        steps = [r.event.detail["step"] for r in ledger.records(action_prefix="mask.job")]
        lineage = [r.event for r in ledger.records(action_prefix="lineage.process")]
        assert ledger.verify().ok
    assert steps == ["started", "table_done", "done"]
    assert len(lineage) == 1 and lineage[0].detail["form"] == "masked"
    assert lineage[0].detail["link"] == {"from": f"{source}/patient", "to": f"{target}/patient"}
    assert lineage[0].rows == 257


def test_resume_of_a_finished_job_skips_done_tables(
    tmp_path: Path, sqlite_url: str, patient_plan: OperatorPlan
) -> None:
    source, target = f"sqlite:///{tmp_path / 'his.db'}", f"sqlite:///{tmp_path / 'out.db'}"
    load_patients(source, patient_rows(20))
    plans = {"patient": patient_plan}
    first = mask_database(source, target, plans=plans, store_url=sqlite_url)
    again = mask_database(
        source, target, plans=plans, store_url=sqlite_url, job_id=first.job_id, resume=True
    )
    assert [(t.table, t.rows, t.skipped) for t in again.tables] == [("patient", 20, True)]


def test_resume_with_another_plan_is_refused(
    tmp_path: Path, sqlite_url: str, patient_plan: OperatorPlan
) -> None:
    source, target = f"sqlite:///{tmp_path / 'his.db'}", f"sqlite:///{tmp_path / 'out.db'}"
    load_patients(source, patient_rows(5))
    first = mask_database(source, target, plans={"patient": patient_plan}, store_url=sqlite_url)
    other = {**patient_plan, "phone": None}
    with pytest.raises(InputError, match="another masking plan"):
        mask_database(
            source,
            target,
            plans={"patient": other},
            store_url=sqlite_url,
            job_id=first.job_id,
            resume=True,
        )


def test_a_column_without_rule_fails_closed(
    tmp_path: Path, sqlite_url: str, patient_plan: OperatorPlan
) -> None:
    source, target = f"sqlite:///{tmp_path / 'his.db'}", f"sqlite:///{tmp_path / 'out.db'}"
    load_patients(source, patient_rows(5))
    partial = {k: v for k, v in patient_plan.items() if k != "phone"}
    with pytest.raises(MaskingError, match="phone"):
        mask_database(
            source, target, plans={"patient": partial}, store_url=sqlite_url, job_id="job-closed"
        )
    assert JobBook(connect(sqlite_url)).tables("job-closed") == {"patient": (WRITING, 0)}
    assert "patient" not in sa.inspect(sa.create_engine(target)).get_table_names()


def test_empty_table(tmp_path: Path, sqlite_url: str, patient_plan: OperatorPlan) -> None:
    source, target = f"sqlite:///{tmp_path / 'his.db'}", f"sqlite:///{tmp_path / 'out.db'}"
    load_patients(source, [])
    result = mask_database(source, target, plans={"patient": patient_plan}, store_url=sqlite_url)
    assert result.rows == 0
    assert sa.inspect(sa.create_engine(target)).has_table("patient")


@pytest.mark.postgres
@pytest.mark.mariadb
def test_postgres_to_mariadb(
    postgres_url: str, mariadb_url: str, sqlite_url: str, patient_plan: OperatorPlan
) -> None:
    rows = patient_rows(300, seed=11)
    load_patients(postgres_url, rows)
    result = mask_database(
        postgres_url,
        mariadb_url,
        plans={"patient": patient_plan},
        batch_rows=64,
        store_url=sqlite_url,
    )
    assert result.rows == 300
    _check_masked(rows, _read(mariadb_url), patient_plan)
    engine = sa.create_engine(mariadb_url)
    with engine.connect() as connection:
        charset = connection.execute(
            sa.text(
                "SELECT CCSA.character_set_name FROM information_schema.TABLES T JOIN "
                "information_schema.COLLATION_CHARACTER_SET_APPLICABILITY CCSA "
                "ON CCSA.collation_name = T.table_collation "
                "WHERE T.table_schema = DATABASE() AND T.table_name = 'patient'"
            )
        ).scalar_one()
    engine.dispose()
    assert charset == "utf8mb4"


def test_the_target_may_not_be_the_source(
    tmp_path: Path, sqlite_url: str, patient_plan: OperatorPlan
) -> None:
    source = f"sqlite:///{tmp_path / 'his.db'}"
    load_patients(source, patient_rows(3))
    with pytest.raises(InputError, match="overwrite the raw tables"):
        mask_database(source, source, plans={"patient": patient_plan}, store_url=sqlite_url)


def test_an_unknown_table_fails_the_job_and_is_recorded(
    tmp_path: Path, sqlite_url: str, patient_plan: OperatorPlan
) -> None:
    source, target = f"sqlite:///{tmp_path / 'his.db'}", f"sqlite:///{tmp_path / 'out.db'}"
    load_patients(source, patient_rows(3))
    with pytest.raises(UnknownNameError, match="visit"):
        mask_database(
            source, target, plans={"visit": patient_plan}, store_url=sqlite_url, job_id="job-gone"
        )
    with open_ledger(sqlite_url) as ledger:
        steps = [r.event for r in ledger.records(action_prefix="mask.job")]
    assert [(e.detail["step"], e.outcome) for e in steps] == [
        ("started", "info"),
        ("failed", "deny"),
    ]
