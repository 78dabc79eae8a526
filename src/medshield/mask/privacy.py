"""Privacy models over a released table: k-anonymity, l-diversity, prosecutor risk.

Rows sharing every quasi-identifier value form an equivalence class. k is the smallest class,
l the fewest distinct sensitive values in a class, and the prosecutor re-identification risk of a
row is 1/|its class| (max: 1/k; average over rows: classes/rows). A null is a value like any other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from medshield.errors import InputError

_SIZE = "__ms_class_size"


@dataclass(frozen=True)
class PrivacyMeasure:
    rows: int
    classes: int
    k: int  # smallest equivalence class (0 for an empty table)
    l: int | None  # noqa: E741 - the model's own name; None without a sensitive column
    max_risk: float
    avg_risk: float


def _check(frame: pl.DataFrame, columns: Sequence[str]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"no column(s) {', '.join(missing)} in the table", where="privacy model")


def _classes(frame: pl.DataFrame, quasi: Sequence[str]) -> pl.DataFrame:
    if not quasi:
        return pl.DataFrame({_SIZE: [frame.height]}) if frame.height else pl.DataFrame({_SIZE: []})
    return frame.group_by(list(quasi)).agg(pl.len().alias(_SIZE))


def measure(
    frame: pl.DataFrame, quasi: Sequence[str], sensitive: str | None = None
) -> PrivacyMeasure:
    """k, l and the prosecutor risks of ``frame`` over the quasi-identifiers ``quasi``."""
    _check(frame, [*quasi, *([sensitive] if sensitive else [])])
    if frame.height == 0:
        return PrivacyMeasure(0, 0, 0, 0 if sensitive else None, 0.0, 0.0)
    sizes = _classes(frame, quasi)
    k = int(sizes.get_column(_SIZE).min())  # type: ignore[arg-type]
    classes = sizes.height
    l_value: int | None = None
    if sensitive is not None:
        if quasi:
            distinct = frame.group_by(list(quasi)).agg(pl.col(sensitive).n_unique().alias("d"))
            l_value = int(distinct.get_column("d").min())  # type: ignore[arg-type]
        else:
            l_value = frame.get_column(sensitive).n_unique()
    return PrivacyMeasure(
        rows=frame.height,
        classes=classes,
        k=k,
        l=l_value,
        max_risk=1.0 / k,
        avg_risk=classes / frame.height,
    )


def suppress_small_classes(
    frame: pl.DataFrame, quasi: Sequence[str], k: int
) -> tuple[pl.DataFrame, int]:
    """``frame`` without the rows of classes smaller than ``k``, and how many were dropped."""
    if k < 1:
        raise InputError("k must be at least 1", where="privacy model")
    _check(frame, quasi)
    if not quasi or frame.height == 0:
        return (frame, 0) if frame.height >= k else (frame.clear(), frame.height)
    kept = frame.filter(pl.len().over(list(quasi)) >= k)
    return kept, frame.height - kept.height
