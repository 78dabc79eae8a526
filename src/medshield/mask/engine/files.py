"""Static masking of CSV and Parquet files, streamed in batches.

The output is written beside the target under a temporary name and renamed into place when
whole (``medshield.atomic``), so a crash never leaves a partial file under the target's name.
With a ``verify`` check, the whole output is verified first and a refused one is never renamed
into place. CSV is read as text (no type guessing: an ID number keeps its leading zeros and its final ``X``).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from medshield.atomic import atomic_target
from medshield.datafiles import check_table_file
from medshield.errors import InputError
from medshield.mask.engine.database import Progress, Verify
from medshield.mask.engine.frames import OperatorPlan, mask_frame

FORMATS = {".csv": "csv", ".parquet": "parquet"}
FILE_BATCH_ROWS = 200_000  # rows per batch when none is given


def _format(path: Path) -> str:
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise InputError("expected a .csv or .parquet file", where=str(path)) from None


def scan_file(path: Path) -> pl.LazyFrame:
    """A lazy frame over a .csv (read as text) or .parquet file; clear errors otherwise."""
    kind = _format(path)
    check_table_file(path)
    if kind == "csv":
        return pl.scan_csv(path, infer_schema=False)
    return pl.scan_parquet(path)


def _read(path: Path, kind: str) -> pl.DataFrame:
    if kind == "csv":
        return pl.read_csv(path, infer_schema=False)
    return pl.read_parquet(path)


def _write(frame: pl.DataFrame, tmp: Path, kind: str) -> None:
    if kind == "csv":
        frame.write_csv(tmp)
    else:
        frame.write_parquet(tmp)


def mask_file(
    source: str | Path,
    target: str | Path,
    plan: OperatorPlan,
    *,
    batch_rows: int | None = None,
    progress: Progress | None = None,
    verify: Verify | None = None,
) -> int:
    """Mask ``source`` into ``target`` (each .csv or .parquet); the rows written (the target
    stays untouched when ``verify`` refuses the output)."""
    src, dst = Path(source), Path(target)
    out_format = _format(dst)
    rows = 0
    writer: pq.ParquetWriter | None = None
    try:
        with atomic_target(dst) as tmp:
            with tmp.open("wb") as handle:
                for batch in scan_file(src).collect_batches(
                    chunk_size=batch_rows or FILE_BATCH_ROWS
                ):
                    masked = mask_frame(batch, plan, where=src.name)
                    if out_format == "csv":
                        masked.write_csv(handle, include_header=rows == 0)
                    else:
                        table = masked.to_arrow()
                        if writer is None:
                            writer = pq.ParquetWriter(handle, table.schema)
                        writer.write_table(table.cast(writer.schema))
                    rows += masked.height
                    if progress is not None:
                        progress(src.name, rows)
                if writer is not None:
                    writer.close()
                    writer = None
                elif out_format == "parquet":  # an empty input still gives a valid file
                    empty = mask_frame(scan_file(src).head(0).collect(), plan, where=src.name)
                    pq.write_table(empty.to_arrow(), handle)
                elif rows == 0:
                    empty = mask_frame(scan_file(src).head(0).collect(), plan, where=src.name)
                    empty.write_csv(handle)
            if verify is not None:
                verdict = verify(src.name, _read(tmp, out_format))
                if not verdict.released:
                    raise _Withheld
                if verdict.suppressed:
                    _write(verdict.frame, tmp, out_format)
                    rows = verdict.frame.height
    except _Withheld:
        pass
    finally:
        if writer is not None:
            writer.close()
    return rows


class _Withheld(Exception):  # noqa: N818 - not an error: the verification kept the output back
    """The verification refused the output: the temporary file is dropped, not renamed."""
