"""The monthly API report at the paper's scale (21,079 calls) and at 100x (2.1M calls).

Each size: a SQLite ledger holding a month of generated gateway calls (``reports.sample``); the
report built by streaming over it, beside the baseline of only reading the same records as stored
(``raw_records``: the SQL read the report cannot avoid), both in the same run. Memory: the peak of Python allocations
(tracemalloc) while building the report, at each size; flat means it does not grow with calls.
Targets: under 1 s at 21,079 calls, under 30 s at 2.1M.
"""

from __future__ import annotations

import shutil
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from itertools import islice
from pathlib import Path

from bench.harness import Row, timed
from medshield.ledger import Ledger, open_ledger
from medshield.policy import load_bundle
from medshield.reports import build_report
from medshield.reports.sample import sample_calls

MONTH = 21_079  # gateway calls in the paper's month
START = datetime(2026, 11, 1, tzinfo=UTC)
CORPUS = "generated month of gateway calls (reports.sample)"


def _fill(ledger: Ledger, calls: int) -> None:
    events = sample_calls(load_bundle(), START, calls)
    while chunk := list(islice(events, 5000)):
        ledger.append_many(chunk)


def _iterate(ledger: Ledger, since: datetime, until: datetime) -> int:
    return sum(1 for _ in ledger.raw_records(since=since, until=until, action_prefix="gateway."))


def _peak_mib(fn: object) -> float:
    tracemalloc.start()
    fn()  # type: ignore[operator]
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def _one(calls: int, label: str, target: str, memory: bool) -> list[Row]:
    folder = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    try:
        with open_ledger(f"sqlite:///{folder / 'store.db'}") as ledger:
            started = time.perf_counter()
            _fill(ledger, calls)
            fill = time.perf_counter() - started
            bundle, until = load_bundle(), START + timedelta(days=31)
            report: list[object] = []
            wall, _ = timed(
                lambda: report.append(build_report("api", ledger, bundle, START, until))
            )
            base, _ = timed(lambda: _iterate(ledger, START, until))
            rows = [
                Row(f"API report, {label} calls", wall, "s", "iterate raw records", base,
                    target=target, corpus=CORPUS),
                Row(f"API report throughput, {label} calls", calls / wall, "calls/s",
                    "iterate raw records", calls / base, corpus=CORPUS),
                Row(f"ledger fill (setup), {label} calls", calls / fill, "events/s", corpus=CORPUS),
            ]  # fmt: skip
            if memory:
                peak = _peak_mib(lambda: build_report("api", ledger, bundle, START, until))
                base_peak = _peak_mib(lambda: _iterate(ledger, START, until))
                rows.append(Row(f"API report peak memory, {label} calls", peak, "MiB",
                                "iterate raw records", base_peak, target="flat", corpus=CORPUS))  # fmt: skip
            return rows
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(quick: bool = False) -> list[Row]:
    large = MONTH * 10 if quick else MONTH * 100
    rows = _one(MONTH, f"{MONTH:,}", "< 1 s", memory=True)
    rows += _one(large, f"{large:,}", "< 30 s" if not quick else "", memory=True)
    return rows
