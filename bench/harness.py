"""Benchmark rows: every figure beside a baseline measured in the same run, as a ratio."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    """One figure. ``baseline`` is measured in the same run on the same machine."""

    name: str
    value: float
    unit: str
    baseline_name: str | None = None
    baseline: float | None = None
    target: str = ""
    corpus: str = ""  # the data set the figure was measured on

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0):
            return None
        return self.value / self.baseline  # type: ignore[operator]


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) of one run of ``fn``. CPU time is the fairer
    figure on a shared machine; wall time is what a user waits."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def best_timed(fn: Callable[[], object], repeat: int = 3) -> tuple[float, float]:
    """The shortest wall and the shortest CPU seconds of ``repeat`` runs of ``fn``."""
    runs = [timed(fn) for _ in range(repeat)]
    return min(w for w, _ in runs), min(c for _, c in runs)


def best_of(fn: Callable[[], object], repeat: int = 3) -> float:
    """The shortest wall time of ``repeat`` runs of ``fn``, in seconds."""
    return best_timed(fn, repeat)[0]


def render(rows: list[Row]) -> str:
    lines = [
        f"{'benchmark':<58} {'value':>14} {'unit':<12} {'baseline':<34} {'ratio':>8}  target / corpus"
    ]
    for r in rows:
        base = f"{r.baseline_name} {r.baseline:,.1f}" if r.baseline is not None else "-"
        ratio = f"{r.ratio:.2f}x" if r.ratio is not None else "-"
        tail = " / ".join(x for x in (r.target, r.corpus) if x)
        lines.append(f"{r.name:<58} {r.value:>14,.2f} {r.unit:<12} {base:<34} {ratio:>8}  {tail}")
    return "\n".join(lines)
