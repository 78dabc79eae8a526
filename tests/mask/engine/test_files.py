"""Static masking of CSV and Parquet files."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import polars as pl
import pytest

from medshield.errors import InputError, MaskingError
from medshield.mask.engine import OperatorPlan, mask_frame
from medshield.mask.engine.files import mask_file

from .conftest import patient_rows


def test_csv_to_parquet_and_back(tmp_path: Path, patient_plan: OperatorPlan) -> None:
    original = pl.DataFrame(patient_rows(1_000, seed=9)).with_columns(pl.col("id").cast(pl.String))
    original = original.with_columns(id=pl.format("0{}", "id"))  # leading zeros must survive
    source = tmp_path / "patients.csv"
    original.write_csv(source)
    as_text = original.with_columns(pl.col("age").cast(pl.String))
    expected = mask_frame(as_text, patient_plan)
    assert mask_file(source, tmp_path / "out.parquet", patient_plan, batch_rows=128) == 1_000
    assert pl.read_parquet(tmp_path / "out.parquet").equals(expected)
    keep_all: OperatorPlan = dict.fromkeys(original.columns)
    assert mask_file(tmp_path / "out.parquet", tmp_path / "out.csv", keep_all) == 1_000
    again = pl.read_csv(tmp_path / "out.csv", infer_schema=False)
    assert again.equals(expected)
    assert again["id"].str.starts_with("0").all()
    assert (tmp_path / "out.csv").read_text(encoding="utf-8").count("广") > 0


class FailsOnSecondBatch:
    name: ClassVar[str] = "fails_on_second_batch"

    def __init__(self) -> None:
        self.calls = 0

    def apply(self, column: pl.Series) -> pl.Series:
        self.calls += 1
        if self.calls > 2:  # two batches are written, then the job fails
            raise MaskingError("stopped")
        return column


def test_a_failure_leaves_no_partial_file(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    pl.DataFrame({"v": [str(i) for i in range(100)]}).write_csv(source)
    with pytest.raises(MaskingError):
        mask_file(source, tmp_path / "out.csv", {"v": FailsOnSecondBatch()}, batch_rows=10)  # type: ignore[dict-item]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=".csv or .parquet"):
        mask_file(tmp_path / "in.xlsx", tmp_path / "out.csv", {})
