"""Static masking: cells per CPU-second of the local engine on a synthetic patient table with
8 masked columns (keyed pseudonyms, covers, address cutting, generalisation), once with the
pseudonyms' default keyed hash (HMAC-SHA256) and once with AES-CMAC, beside a plain
Python row loop doing the same masking (each operator's own ``mask_value``, identical output)
and beside Presidio's AnonymizerEngine (replace / mask / hash with pre-computed spans, the
fairest per-cell use of it) on a subset of the same cells, scaled. Then database -> database
rows per second (SQLite -> SQLite through ``mask_database``) beside a plain copy of the same
table by the same engine (every column kept).

CPU time (``time.process_time``) is the denominator, so the figures are per core whatever the
number of threads Polars uses. Data: generated in memory, seeded (1,000,000 rows; quick 20,000):
a patient table (every identifier and nearly every address distinct, the worst case for
operators that compute once per distinct value) and a visit-level table (ten visits per
patient). Batches are sized as ``mask_database`` sizes them (about 64 MB) and every pass
builds its plan afresh, as a masking job does.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from bench.harness import Row, best_timed
from medshield.mask.engine import OperatorPlan, mask_database, mask_frame, plan_from_rules
from medshield.mask.engine.database import FIRST_ROWS, rows_per_batch
from medshield.mask.operators.base import MaskContext

CORPUS = "generated, seeded"
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗") + ["欧阳", "司马"]
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽强", "磊", "军", "洋", "勇", "艳杰"]
PLACES = ["浙江省杭州市西湖区", "广东省广州市天河区", "四川省成都市武侯区", "重庆市渝中区"]
STREETS = ["文三路", "天河路", "人民南路", "解放碑街道民族路"]
RULES: dict[str, tuple[str, dict[str, Any]] | None] = {
    "id": None,
    "name": ("cover", {"keep_surname": True}),
    "id_no": ("pseudonym", {}),
    "mrn": ("pseudonym", {"prefix": "M"}),
    "phone": ("cover", {"keep_prefix": 3, "keep_suffix": 4}),
    "contact_phone": ("cover", {"keep_prefix": 3, "keep_suffix": 4, "mask": "X"}),
    "address": ("cut_address", {"level": "district"}),
    "age": ("generalize", {"kind": "number", "width": 10, "top": 90}),
    "postcode": ("generalize", {"kind": "code", "keep": 3, "pad": "*"}),
    "diagnosis": None,
}
MASKED = sum(rule is not None for rule in RULES.values())  # 8


def patients(n: int, seed: int = 20261128) -> pl.DataFrame:
    rng = np.random.default_rng(seed)

    def pick(values: list[str]) -> pl.Series:
        return pl.Series(values).gather(rng.integers(0, len(values), n))

    digits = lambda lo, hi: pl.Series(rng.integers(lo, hi, n)).cast(pl.String)  # noqa: E731
    return pl.DataFrame(
        {
            "id": np.arange(1, n + 1),
            "name": pick(SURNAMES) + pick(GIVEN),
            "id_no": "330106" + digits(19300101, 20101231) + digits(1000, 9999),
            "mrn": "MR" + digits(10_000_000, 99_999_999),
            "phone": "13" + digits(100_000_000, 999_999_999),
            "contact_phone": "15" + digits(100_000_000, 999_999_999),
            "address": pick(PLACES)
            + pick(STREETS)
            + digits(1, 999)
            + "号"
            + digits(1, 30)
            + "栋"
            + digits(101, 2899)
            + "室",
            "age": rng.integers(0, 100, n),
            "postcode": digits(100_000, 999_999),
            "diagnosis": pick(["2型糖尿病", "原发性高血压", "支气管哮喘", "慢性胃炎"]),
        }
    )


def visit_table(n: int, per_patient: int = 10) -> pl.DataFrame:
    """Visit-level rows: ``n`` rows over ``n / per_patient`` patients (identifiers repeat)."""
    people = patients(max(n // per_patient, 1), seed=7)
    pick = np.random.default_rng(11).integers(0, people.height, n)
    return people[pick].with_columns(id=pl.int_range(1, n + 1))


def plan(context: MaskContext, algorithm: str = "hmac-sha256") -> OperatorPlan:
    rules = {
        column: (rule[0], {**rule[1], "algorithm": algorithm})
        if rule and rule[0] == "pseudonym"
        else rule
        for column, rule in RULES.items()
    }
    return plan_from_rules(rules, context)


def cpu_seconds(fn: Callable[[], object], repeat: int = 2) -> float:
    return best_timed(fn, repeat)[1]


def engine_pass(frame: pl.DataFrame, make_plan: Callable[[], OperatorPlan]) -> None:
    """What ``mask_table`` does to one table: a plan, then batches of about 64 MB."""
    ops = make_plan()
    batch = rows_per_batch(frame.head(FIRST_ROWS))
    for start in range(0, frame.height, batch):
        mask_frame(frame.slice(start, batch), ops)


def python_loop(rows: list[dict[str, Any]], ops: OperatorPlan) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        masked = {}
        for column, value in row.items():
            op = ops[column]
            masked[column] = value if op is None or value is None else op.mask_value(value)  # type: ignore[attr-defined]
        out.append(masked)
    return out


def presidio_pass(rows: list[dict[str, Any]]) -> Callable[[], None]:
    """Presidio over ``rows``, ready to time (imports and engine set up outside the timing)."""
    from presidio_anonymizer import AnonymizerEngine
    from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

    engine = AnonymizerEngine()
    configs = {
        "name": OperatorConfig("mask", {"masking_char": "*", "chars_to_mask": 3, "from_end": True}),
        "id_no": OperatorConfig("hash", {"hash_type": "sha256"}),
        "mrn": OperatorConfig("hash", {"hash_type": "sha256"}),
        "phone": OperatorConfig(
            "mask", {"masking_char": "*", "chars_to_mask": 4, "from_end": False}
        ),
        "contact_phone": OperatorConfig(
            "mask", {"masking_char": "X", "chars_to_mask": 4, "from_end": False}
        ),
        "address": OperatorConfig("replace", {"new_value": "<ADDRESS>"}),
        "age": OperatorConfig("replace", {"new_value": "<AGE>"}),
        "postcode": OperatorConfig(
            "mask", {"masking_char": "*", "chars_to_mask": 3, "from_end": True}
        ),
    }

    def anonymize() -> None:
        for row in rows:
            for column, config in configs.items():
                text = str(row[column])
                span = [RecognizerResult(column.upper(), 0, len(text), 1.0)]
                engine.anonymize(
                    text=text, analyzer_results=span, operators={column.upper(): config}
                )

    return anonymize


def database_rates(frame: pl.DataFrame, ops: OperatorPlan) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as folder:
        source = f"sqlite:///{Path(folder) / 'his.db'}"
        frame.write_database("patient", source, engine="sqlalchemy")
        store = f"sqlite:///{Path(folder) / 'store.db'}"
        keep_all: OperatorPlan = dict.fromkeys(frame.columns)
        timings = []
        for name, chosen in (("masked", ops), ("copy", keep_all)):
            target = f"sqlite:///{Path(folder) / f'{name}.db'}"
            started = time.perf_counter()
            mask_database(source, target, plans={"patient": chosen}, store_url=store)
            timings.append(frame.height / (time.perf_counter() - started))
    return timings[0], timings[1]


def run(quick: bool) -> list[Row]:
    n = 20_000 if quick else 1_000_000
    subset = 2_000 if quick else 20_000
    frame = patients(n)
    context = MaskContext(keys={"k1": b"bench-key-" * 4}, active_key="k1")
    cells = n * MASKED
    engine = {
        algorithm: cells
        / cpu_seconds(lambda a=algorithm: engine_pass(frame, lambda: plan(context, a)))  # type: ignore[misc]
        for algorithm in ("hmac-sha256", "aes-cmac")
    }
    ops = plan(context)
    visits = visit_table(n)
    engine_visits = cells / cpu_seconds(lambda: engine_pass(visits, lambda: plan(context)))
    visit_rows = visits.head(subset).to_dicts()
    loop_visits = subset * MASKED / cpu_seconds(lambda: python_loop(visit_rows, ops), repeat=1)
    rows = frame.head(subset).to_dicts()
    assert pl.DataFrame(python_loop(rows[:200], ops)).equals(mask_frame(frame.head(200), ops))
    loop = subset * MASKED / cpu_seconds(lambda: python_loop(rows, ops), repeat=1)
    small = rows[: subset // 10]
    presidio = len(small) * MASKED / cpu_seconds(presidio_pass(small))
    db_rows = 20_000 if quick else 200_000
    masked_rate, copy_rate = database_rates(frame.head(db_rows), ops)
    corpus = f"{CORPUS}, {n:,} rows x {MASKED} masked columns"
    out = []
    for algorithm, rate in engine.items():
        label = f"mask local engine, pseudonyms by {algorithm}, cells/s per core"
        out += [
            Row(label, rate, "cells/s", "python row loop", loop, ">= 5M/s, >= 2x loop", corpus),
            Row(
                label,
                rate,
                "cells/s",
                "presidio anonymizer",
                presidio,
                ">= 100x presidio",
                f"{corpus}; presidio on {len(small):,} rows, scaled",
            ),
        ]
    return [
        *out,
        Row(
            "mask local engine, visit-level table, cells/s per core",
            engine_visits,
            "cells/s",
            "python row loop",
            loop_visits,
            ">= 5M/s, >= 2x loop",
            f"{CORPUS}, {n:,} visit rows of {n // 10:,} patients",
        ),
        Row(
            "mask database->database (SQLite), rows/s",
            masked_rate,
            "rows/s",
            "same engine, plain copy",
            copy_rate,
            "",
            f"{CORPUS}, {db_rows:,} rows",
        ),
    ]
