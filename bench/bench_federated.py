"""Federated count and mean over three node processes (mutual-TLS HTTPS, masked shares) beside
the same two queries on the pooled rows in one database, measured in the same run.

Each node holds its own SQLite database of ``rows`` patients; the pooled database holds all
3 x ``rows``. Both sides run the same template code (SQL aggregation) and add the same noise;
the federated side adds the network, TLS, masking and summing. Nodes are long-running services,
so their start is not timed.
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

import numpy as np

from bench.harness import Row, best_timed
from medshield.federated import Hub, setup_federation
from medshield.federated.config import read_registry
from medshield.federated.kinds import kind_of
from medshield.federated.launch import running_nodes
from medshield.federated.local import LocalDatabase
from medshield.policy import load_bundle
from medshield.synth.manifest import AllianceManifest

FULL = 1_000_000
QUICK = 20_000
NODES = ("h1", "h2", "m1")
TEMPLATES = ("patient_count", "patient_age_mean")


def write_patients(path: Path, ages: np.ndarray, first_id: int) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE patient (patient_id INTEGER PRIMARY KEY, age INTEGER)")
    ids = np.arange(first_id, first_id + len(ages))
    conn.executemany(
        "INSERT INTO patient VALUES (?, ?)", zip(ids.tolist(), ages.tolist(), strict=True)
    )
    conn.commit()
    conn.close()


def make_alliance(folder: Path, rows: int) -> tuple[Path, Path]:
    """Three institutions of ``rows`` patients each, and the pooled database of them all."""
    rng = np.random.default_rng(15)
    ages = {n: rng.integers(0, 100, rows) for n in NODES}
    databases = {}
    for k, node in enumerate(NODES):
        write_patients(folder / f"{node}.db", ages[node], k * rows)
        databases[node] = f"sqlite:///{folder / f'{node}.db'}"
    write_patients(folder / "pooled.db", np.concatenate(list(ages.values())), 0)
    AllianceManifest(
        out=folder,
        seed=15,
        patients=3 * rows,
        policy_version="bench",
        databases=databases,
        styles=dict.fromkeys(NODES, "english_commented"),
        ground_truth=folder / "none.csv",
        rows={n: {"patient": rows} for n in NODES},
        seconds=0.0,
        tables={n: {"patient": "patient"} for n in NODES},
    ).write()
    return folder, folder / "pooled.db"


def run(quick: bool) -> list[Row]:
    rows = QUICK if quick else FULL
    bundle = load_bundle()
    templates = [bundle.federated.template(t) for t in TEMPLATES]
    with tempfile.TemporaryDirectory() as tmp:
        alliance, pooled_path = make_alliance(Path(tmp), rows)
        pooled = LocalDatabase.open(
            f"sqlite:///{pooled_path}", "english_commented", {"patient": "patient"}
        )

        def on_pooled() -> None:
            for t in templates:
                assert t is not None
                kind = kind_of(t.kind)
                kind.release(t, kind.measure(t, pooled), 0.95)

        federation = setup_federation(alliance, Path(tmp) / "fed", list(NODES))
        with running_nodes(federation.nodes) as nodes:
            urls = {n: p.url for n, p in nodes.items()}
            hub = Hub.connect(bundle, read_registry(federation.registry), urls, federation.tls)

            def federated() -> None:
                for t in templates:
                    assert t is not None
                    aggregate = hub.collect(t.key, "bench")
                    kind_of(t.kind).release(t, aggregate.total, 0.95)

            fed_wall, _ = best_timed(federated)
            pool_wall, _ = best_timed(on_pooled)
    corpus = f"3 x {rows:,} patients, SQLite, 3 node processes + hub on loopback"
    return [
        Row(
            "federated count + mean (3 nodes, mTLS, masked)",
            fed_wall * 1000,
            "ms",
            "pooled same queries",
            pool_wall * 1000,
            target="<= 5x pooled",
            corpus=corpus,
        )
    ]
