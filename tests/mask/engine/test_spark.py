"""The Spark engine (local mode) gives exactly the local engine's output."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from medshield.mask.engine import OperatorPlan, mask_frame
from medshield.mask.engine.files import mask_file
from medshield.mask.engine.spark import mask_parquet_spark, spark_session
from medshield.mask.operators.base import MaskContext

from .conftest import load_patients, patient_rows

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    session = spark_session("local[2]")
    yield session
    session.stop()


def test_spark_equals_local(
    spark: Any, tmp_path: Path, patient_plan: OperatorPlan, ctx: MaskContext
) -> None:
    source = tmp_path / "patients.parquet"
    original = pl.DataFrame(patient_rows(3_000, seed=5))
    original.write_parquet(source)
    rows = mask_parquet_spark(spark, str(source), str(tmp_path / "spark_out"), patient_plan, ctx)
    assert rows == 3_000
    local_file = tmp_path / "local.parquet"
    mask_file(source, local_file, patient_plan, batch_rows=700)
    from_spark = pl.read_parquet(tmp_path / "spark_out" / "*.parquet").sort("id")
    from_local = pl.read_parquet(local_file).sort("id")
    assert from_spark.columns == from_local.columns
    assert from_spark.equals(from_local)
    assert from_local.equals(mask_frame(original, patient_plan))
    assert not set(from_spark["phone"]) & set(original["phone"])


def test_database_job_with_the_spark_masker(
    spark: Any, tmp_path: Path, sqlite_url: str, patient_plan: OperatorPlan, ctx: MaskContext
) -> None:
    from medshield.mask.engine import mask_database
    from medshield.mask.engine.reading import read_table
    from medshield.mask.engine.spark import spark_masker

    source = f"sqlite:///{tmp_path / 'his.db'}"
    load_patients(source, patient_rows(500, seed=8))
    outputs = {}
    for engine, masker in (("local", None), ("spark", spark_masker(spark, ctx))):
        target = f"sqlite:///{tmp_path / f'{engine}.db'}"
        mask_database(
            source,
            target,
            plans={"patient": patient_plan},
            batch_rows=200,
            store_url=sqlite_url,
            masker=masker,
        )
        outputs[engine] = read_table(target, "patient").sort("id")
    assert outputs["spark"].height == 500
    assert outputs["spark"].equals(outputs["local"])
