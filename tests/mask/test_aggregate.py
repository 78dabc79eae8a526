from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from medshield.errors import InputError
from medshield.mask.aggregate import aggregate_release
from medshield.mask.operators.base import MaskContext
from medshield.mask.operators.idnumber import check_digit
from medshield.policy import load_bundle
from medshield.policy.context import UseContext


def make_id(born: date, seq: int) -> str:
    first = f"500103{born:%Y%m%d}{seq:03d}"
    return first + check_digit(first)


def test_statistics_per_age_band_small_groups_suppressed() -> None:
    bundle = load_bundle()
    k = bundle.meta.privacy.aggregate_min_group
    year = date.today().year
    ids = [make_id(date(year - 45, 3, 1), i) for i in range(k)]  # aged 44-45: one band of k
    ids += [make_id(date(year - 75, 3, 1), i) for i in range(k - 1)]  # one band below k
    cost = [float(100 + i) for i in range(len(ids))]
    frame = pl.DataFrame({"sfzh": ids, "zfy": cost})
    out = aggregate_release(
        frame,
        {"sfzh": "DE02.01.030.00", "zfy": "DE07.00.010.00"},
        group_by=["sfzh"],
        measures=["zfy"],
        context=UseContext(role="researcher", scenario="clinical_pathway"),
        bundle=bundle,
        mask_context=MaskContext(),
    )
    assert out.suppressed_groups == 1 and out.min_group == k
    rows = out.table.to_dicts()
    assert len(rows) == 1 and rows[0]["n"] == k
    assert rows[0]["sfzh"] == "40-49" and not any(i in str(rows) for i in ids)
    assert rows[0]["zfy_sum"] == sum(cost[:k]) and rows[0]["zfy_max"] == cost[k - 1]
    assert rows[0]["zfy_mean"] == pytest.approx(sum(cost[:k]) / k)


def test_measures_must_be_numeric() -> None:
    frame = pl.DataFrame({"a": ["x"], "b": ["y"]})
    with pytest.raises(InputError, match="not numeric"):
        aggregate_release(
            frame,
            {},
            group_by=["a"],
            measures=["b"],
            context=UseContext(role="researcher", scenario="clinical_pathway"),
            bundle=load_bundle(),
            mask_context=MaskContext(),
        )
