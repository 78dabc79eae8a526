"""Privacy models over a released table: k-anonymity, l-diversity, prosecutor risk.

Rows sharing every quasi-identifier value form an equivalence class. k is the smallest class,
l the fewest distinct sensitive values in a class, and the prosecutor re-identification risk of a
row is 1/|its class| (max: 1/k; average over rows: classes/rows). A null is a value like any other.
To reach k, quasi-identifiers can be coarsened along ladders (bands, prefixes) and the classes
still too small suppressed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
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


Step = Callable[[pl.Expr], pl.Expr]  # one level of coarsening of a raw column


def number_bands(*widths: int) -> list[Step]:
    """Levels of a number column: bands of each width, ``"30-39"`` for width 10."""

    def band(width: int) -> Step:
        def step(column: pl.Expr) -> pl.Expr:
            low = (column // width) * width
            return pl.format("{}-{}", low, low + width - 1)

        return step

    return [band(w) for w in widths]


def prefixes(*lengths: int) -> list[Step]:
    """Levels of a code or text column: its first ``n`` characters (a postcode, a division)."""

    def prefix(n: int) -> Step:
        def step(column: pl.Expr) -> pl.Expr:
            return column.cast(pl.String).str.slice(0, n)

        return step

    return [prefix(n) for n in lengths]


@dataclass(frozen=True)
class Generalisation:
    frame: pl.DataFrame
    levels: dict[str, int]  # column -> ladder level used (0: as given)
    suppressed: int  # rows of classes still below k, dropped at the end


def generalise_to_k(
    frame: pl.DataFrame, quasi: Sequence[str], k: int, ladders: Mapping[str, Sequence[Step]]
) -> Generalisation:
    """Coarsen the quasi-identifiers until k is reached, then suppress what is still below k.

    Each round moves one level up the ladder of the column with the most distinct values
    (levels always apply to the column as given, never to an earlier level's output).
    """
    _check(frame, [*quasi, *ladders])
    levels = dict.fromkeys(ladders, 0)
    current = frame
    while frame.height and measure(current, quasi).k < k:
        open_ = [c for c in quasi if c in ladders and levels[c] < len(ladders[c])]
        if not open_:
            break
        widest = max(open_, key=lambda c: current.get_column(c).n_unique())
        levels[widest] += 1
        current = frame.with_columns(
            [ladders[c][n - 1](pl.col(c)).alias(c) for c, n in levels.items() if n]
        )
    kept, dropped = suppress_small_classes(current, quasi, k)
    return Generalisation(kept, levels, dropped)
