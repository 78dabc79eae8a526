"""The Spark engine: the same operators over Arrow batches through ``DataFrame.mapInArrow``.

Each Arrow RecordBatch becomes a Polars DataFrame, goes through ``mask_frame`` (the local
engine's own step) and comes back as Arrow, so both engines give the same output.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from typing import Any

import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]

from medshield.errors import ConfigError
from medshield.mask.engine.frames import OperatorPlan, mask_frame
from medshield.mask.engine.recipe import recipe_of
from medshield.mask.operators.base import MaskContext


def spark_session(master: str = "local[2]", app: str = "medshield-mask") -> Any:
    """A Spark session for masking: UI off, few shuffle partitions, Arrow on."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise ConfigError("the Spark engine needs pyspark (pip install medshield[spark])") from None
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # workers see the same packages
    return (
        SparkSession.builder.master(master)
        .appName(app)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )


def _empty(schema: pa.Schema) -> pl.DataFrame:
    frame = pl.from_arrow(schema.empty_table())
    assert isinstance(frame, pl.DataFrame)
    return frame


def _arrow_out(schema: pa.Schema) -> pa.Schema:
    """Large string and binary as their plain forms, which Spark maps directly."""
    plain = {pa.large_string(): pa.string(), pa.large_binary(): pa.binary()}
    return pa.schema([pa.field(f.name, plain.get(f.type, f.type)) for f in schema])


def mask_spark_frame(frame: Any, plan: OperatorPlan, context: MaskContext | None = None) -> Any:
    """A Spark DataFrame with each column through its operator (lazy, like any Spark step).

    With ``context``, workers get the plan's recipe and build the operators themselves (needed
    when an operator holds state that cannot be pickled, such as a keyed hash).
    """
    from pyspark.sql.pandas.types import from_arrow_schema, to_arrow_schema

    arrow_in = to_arrow_schema(frame.schema)
    arrow_out = _arrow_out(mask_frame(_empty(arrow_in), plan, where="spark").to_arrow().schema)
    recipe = recipe_of(plan, context) if context is not None else None
    shipped = None if recipe is not None else plan

    def mask_batches(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        operators = shipped if recipe is None else recipe.plan
        assert operators is not None
        for batch in batches:
            polars_batch = pl.from_arrow(batch)
            assert isinstance(polars_batch, pl.DataFrame)
            masked = mask_frame(polars_batch, operators, where="spark").to_arrow().cast(arrow_out)
            yield from masked.to_batches()

    return frame.mapInArrow(mask_batches, from_arrow_schema(arrow_out))


def mask_parquet_spark(
    spark: Any, source: str, target: str, plan: OperatorPlan, context: MaskContext | None = None
) -> int:
    """Mask a Parquet file or folder into a Parquet folder with Spark; the rows written."""
    masked = mask_spark_frame(spark.read.parquet(source), plan, context)
    masked.write.mode("overwrite").parquet(target)
    return int(spark.read.parquet(target).count())


def spark_masker(
    spark: Any, context: MaskContext | None = None
) -> Callable[[pl.DataFrame, OperatorPlan], pl.DataFrame]:
    """A batch step for ``mask_database``: each batch masked by Spark, in order."""

    def mask_with_spark(batch: pl.DataFrame, plan: OperatorPlan) -> pl.DataFrame:
        spark_frame = spark.createDataFrame(batch.to_arrow())
        masked = mask_spark_frame(spark_frame, plan, context).toArrow()
        frame = pl.from_arrow(masked)
        assert isinstance(frame, pl.DataFrame)
        return frame

    return mask_with_spark
