"""Masking operators: cells per second of each operator's vectorised ``apply`` over a Polars
column beside a plain-Python loop doing the same transformation value by value (the operator's
own ``mask_value``, so both produce identical output); and dynamic masking of a 50-row API
response (µs per call) beside the same response masked with the plan and operators built per
call, and beside the vectorised engine on a 50-row DataFrame.

Data: generated and seeded — a visit-level column of N values over N/10 patients (each patient
has ten visits), Chinese names, valid 18-digit ID numbers, mobiles, addresses in Chongqing,
diagnoses from the starter dictionary plus unknown terms.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import polars as pl

from bench.harness import Row, best_of
from medshield.mask.dictionary import starter_dictionary
from medshield.mask.dynamic import mask_records
from medshield.mask.operators import apply_operator, build_operator
from medshield.mask.operators.base import MaskContext
from medshield.mask.operators.idnumber import check_digit
from medshield.mask.plan import plan_for
from medshield.policy import grant_masking, load_bundle
from medshield.policy.context import UseContext

LOOP_SAMPLE = 100_000
CORPUS = "generated, seeded (visits: 10 per patient)"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂"
STREETS = ["解放碑街道民族路", "朝天门街道新华路", "大坪街道渝州路", "石桥铺街道科园一路"]
DISTRICTS = ["重庆市渝中区", "重庆市九龙坡区", "重庆市沙坪坝区", "重庆市江北区"]


def _patients(n: int, rng: random.Random) -> list[dict[str, Any]]:
    terms = list(starter_dictionary().terms)[:5000] + ["未登记的病名甲", "未登记的病名乙"]
    out = []
    for i in range(n):
        born = date(1930, 1, 1) + timedelta(days=rng.randrange(90 * 365))
        first = f"500103{born:%Y%m%d}{i % 1000:03d}"
        compound = rng.random() < 0.05
        surname = "欧阳" if compound else rng.choice(SURNAMES)
        out.append(
            {
                "xm": surname + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))),
                "sfzh": first + check_digit(first),
                "sjhm": f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
                "dz": f"{rng.choice(DISTRICTS)}{rng.choice(STREETS)}{rng.randrange(1, 300)}号",
                "zdmc": rng.choice(terms),
                "nl": 2026 - born.year,
            }
        )
    return out


def _visits(n: int) -> pl.DataFrame:
    rng = random.Random(20261128)
    patients = _patients(max(n // 10, 1), rng)
    rows = [patients[rng.randrange(len(patients))] for _ in range(n)]
    frame = pl.DataFrame(rows)
    days = [date(2020, 1, 1) + timedelta(days=rng.randrange(2000)) for _ in range(n)]
    return frame.with_columns(pl.Series("jzrq", days))


CASES: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("cover", "xm", {"keep_surname": True}),
    ("cover", "sjhm", {"keep_prefix": 3, "keep_suffix": 4}),
    ("suppress", "sjhm", {"replacement": "[已屏蔽]"}),
    ("generalize", "nl", {"kind": "number", "width": 10, "top": 90}),
    ("generalize", "jzrq", {"kind": "date", "unit": "month"}),
    ("id_to_birth", "sfzh", {}),
    ("id_to_age_band", "sfzh", {"reference": "2026-01-01"}),
    ("pseudonym", "sfzh", {}),
    ("random_id", "sfzh", {}),
    ("fpe", "sfzh", {"keep_prefix": 6}),
    ("dictionary", "zdmc", {"kind": "term"}),
    ("cut_address", "dz", {"level": "district"}),
    ("date_shift", "jzrq", {"days": 30, "key_column": "sfzh"}),
)


def _context() -> MaskContext:
    return MaskContext(
        keys={"k1": b"b" * 32},
        active_key="k1",
        release_id="bench",
        extras={"dictionary": starter_dictionary()},
    )


def _operator_rows(n: int, repeat: int) -> list[Row]:
    frame = _visits(n)
    rows: list[Row] = []
    for name, column, params in CASES:
        op = build_operator(name, params, _context())
        extra = getattr(op, "extra_columns", ())
        if extra:
            values: list[Any] = frame.select(pl.struct(column, *extra)).to_series().to_list()
        else:
            values = frame[column].to_list()

        def vector(op: Any = op, column: str = column) -> object:
            return apply_operator(op, frame, column)

        # the loop's cost per value is constant: its rate is measured on up to LOOP_SAMPLE values
        sample = values[:LOOP_SAMPLE]
        fresh = build_operator(name, params, _context())  # no warm memo for the loop
        fresh_fn: Callable[[Any], Any] = fresh.mask_value  # type: ignore[attr-defined]

        def loop(f: Callable[[Any], Any] = fresh_fn, vs: list[Any] = sample) -> object:
            return [None if x is None else f(x) for x in vs]

        v = best_of(vector, repeat)
        p = best_of(loop, 1)
        rows.append(
            Row(
                f"mask op {name} ({column}), {n:,} values",
                n / v,
                "cells/s",
                "python loop",
                len(sample) / p,
                corpus=CORPUS,
            )
        )
    return rows


def _dynamic_rows(calls: int) -> list[Row]:
    bundle = load_bundle()
    columns = {
        "xm": "DE02.01.039.00",
        "sfzh": "DE02.01.030.00",
        "sjhm": "DE02.01.010.00",
        "dz": "DE02.01.009.00",
        "zdmc": "DE05.01.025.00",
        "jzrq": "DE06.00.062.00",
        "nl": "DE02.01.026.00",
    }
    response = _visits(50).select(list(columns))
    records = response.to_dicts()
    ctx = _context()
    rows: list[Row] = []
    for role, scenario in (("doctor", "collaborative_care"), ("researcher", "clinical_pathway")):
        use = UseContext(role=role, scenario=scenario)
        mask_records(records, columns, use, bundle, mask_context=ctx)  # warm-up

        def cached(use: UseContext = use) -> None:
            for _ in range(calls):
                mask_records(records, columns, use, bundle, mask_context=ctx)

        def uncached(use: UseContext = use) -> None:
            for _ in range(calls):
                ops = plan_for(columns, grant_masking(bundle, use), bundle).operators(ctx)
                [{c: None if r[c] is None else ops[c].mask_value(r[c]) for c in r} for r in records]  # type: ignore[attr-defined]  # noqa: B018

        def vectorised(use: UseContext = use) -> None:
            ops = plan_for(columns, grant_masking(bundle, use), bundle).operators(ctx)
            for _ in range(calls):
                masked = [apply_operator(ops[c], response, c).alias(c) for c in columns]
                pl.DataFrame(masked).to_dicts()

        fast = best_of(cached, 3) / calls * 1e6
        slow = best_of(uncached, 1) / calls * 1e6
        polars_path = best_of(vectorised, 1) / calls * 1e6
        label = f"dynamic mask 50-row response, {role}"
        rows.append(Row(label, fast, "µs/call", "plan+ops built per call", slow, "< 1000 µs"))
        rows.append(Row(label, fast, "µs/call", "polars engine on 50 rows", polars_path))
    return rows


def run(quick: bool) -> list[Row]:
    n = 20_000 if quick else 1_000_000
    rows = _operator_rows(n, 1 if quick else 2)
    return rows + _dynamic_rows(50 if quick else 500)
