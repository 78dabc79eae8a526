"""Lineage: building the data-flow graph from the ledger, and answering questions of it.

Figures: graph build rate (events/s) from the ledger beside plain iteration over the same
records; graph build from records already in memory beside a bare loop over them; the patient
query through the graph's index beside a linear scan of every step.
"""

from __future__ import annotations

import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.harness import Row, best_of
from medshield.ledger import open_ledger
from medshield.lineage import ACTION_PREFIX, build_graph, downstream, lineage_event, patient_flow
from medshield.lineage.graph import collector_paused
from medshield.mask.operators.pseudonym import make_pseudonym

STAGES = ("collect", "transmit", "store", "process", "share")
FORMS = ("raw", "raw", "raw", "masked", "masked")
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _events(n: int, seed: int = 7) -> list:  # type: ignore[type-arg]
    """``n`` steps through 5 stages over 200 tables of 20 institutions, 5 patients each."""
    rng = random.Random(seed)
    patients = [make_pseudonym(i, "k1", b"b" * 32, length=16, prefix="P") for i in range(5000)]
    events = []
    for i in range(n):
        s = i % 5
        inst = rng.randrange(20)
        src = f"inst{inst}/t{s}_{rng.randrange(10)}"
        dst = f"inst{inst if s < 1 else 99}/t{s + 1}_{rng.randrange(10)}"
        t = T0 + timedelta(seconds=i)
        events.append(lineage_event(
            stage=STAGES[s], actor=f"user{rng.randrange(50)}", from_=src, to=dst, form=FORMS[s],
            rows=rng.randrange(1, 1000), level="sensitive", time_in=t,
            time_out=t + timedelta(seconds=1), pseudonyms=rng.sample(patients, 5),
        ))  # fmt: skip
    return events


def run(quick: bool) -> list[Row]:
    n = 2_000 if quick else 100_000
    corpus = f"{n:,} synthetic lineage events, SQLite ledger"
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'ledger.db'}"
        with open_ledger(url, checkpoint_every=10**9, checkpoint_seconds=10**9) as ledger:
            events = _events(n)
            for start in range(0, n, 5000):
                ledger.append_many(events[start : start + 5000])

            def iterate() -> None:  # under the same collector pause as the build, to be fair
                with collector_paused():
                    for _ in ledger.records(action_prefix=ACTION_PREFIX):
                        pass

            def build() -> None:
                build_graph(ledger.records(action_prefix=ACTION_PREFIX))

            repeat = 3 if quick else 2
            t_iter, t_build = best_of(iterate, repeat), best_of(build, repeat)
            records = list(ledger.records(action_prefix=ACTION_PREFIX))

        def bare() -> None:
            with collector_paused():
                for r in records:
                    _ = r.event.detail["link"]

        t_bare = best_of(bare, 3)
        t_mem = best_of(lambda: build_graph(records), 3)
        graph = build_graph(records)
        probes = [p for e in list(graph)[:: max(1, n // 200)] for p in e.pseudonyms][:200]

        started = time.perf_counter()
        for p in probes:
            patient_flow(graph, p)
        t_index = (time.perf_counter() - started) / len(probes)
        started = time.perf_counter()
        for p in probes[:20]:
            sorted((e for e in graph if p in e.pseudonyms), key=lambda e: (e.time_in, e.seq))
        t_scan = (time.perf_counter() - started) / 20
        t_down = best_of(lambda: downstream(graph, "inst3/t0_4"), 3)
    return [
        Row("lineage graph build from ledger", n / t_build, "events/s",
            "plain iteration of the records", n / t_iter, "", corpus),
        Row("lineage graph build from records in memory", n / t_mem, "events/s",
            "bare loop over records", n / t_bare, "", corpus),
        Row("lineage patient query (indexed)", 1 / t_index, "queries/s",
            "linear scan of steps", 1 / t_scan, "", corpus),
        Row("lineage downstream of one table", 1 / t_down, "queries/s", None, None, "", corpus),
    ]  # fmt: skip
