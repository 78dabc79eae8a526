"""History tables: the monthly archives (归档表) real HIS databases pile up over the years.

The paper's alliance holds 16,378 tables and 303,881 fields (R33); most of them are such
archives, copies of the clinical tables split by month (``visit_202212``, ``cfmx_202211``).
``history_tables`` per institution brings a synthetic alliance to that scale: each archive has
the columns of its live table and a slice of its rows.
"""

from __future__ import annotations

from typing import Any

from medshield.synth.schema import (
    DIAGNOSIS,
    LAB_RESULT,
    MEDICAL_ORDER,
    PRESCRIPTION,
    VISIT,
    TableSpec,
)

ARCHIVED: tuple[TableSpec, ...] = (VISIT, PRESCRIPTION, LAB_RESULT, DIAGNOSIS, MEDICAL_ORDER)
ARCHIVE_ROWS = 40
LAST_MONTH = (2022, 12)  # archives end where the live tables begin


def archive_plan(count: int) -> list[tuple[TableSpec, str]]:
    """(table, name suffix) of ``count`` archives, newest month first, every table each month."""
    plan = []
    for k in range(count):
        months = LAST_MONTH[0] * 12 + LAST_MONTH[1] - 1 - k // len(ARCHIVED)
        plan.append((ARCHIVED[k % len(ARCHIVED)], f"_{months // 12}{months % 12 + 1:02d}"))
    return plan


def archive_rows(columns: dict[str, list[Any]], k: int) -> dict[str, list[Any]]:
    """A slice of the live rows for the ``k``-th archive (the same slice for the same k)."""
    total = len(next(iter(columns.values())))
    size = min(ARCHIVE_ROWS, total)
    start = (k * 37) % max(1, total - size + 1)
    return {key: values[start : start + size] for key, values in columns.items()}
