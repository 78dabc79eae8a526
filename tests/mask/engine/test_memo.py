"""Operators that compute per distinct value in Python remember what they computed: later
batches look values up, and the output is exactly the operators' own in any batching."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medshield.mask.engine import OperatorPlan, mask_frame
from medshield.mask.operators import build_operator, distinct
from medshield.mask.operators.base import MaskContext
from medshield.mask.operators.distinct import Memo, map_distinct

from .conftest import build_plan, patient_rows


def _batches(frame: pl.DataFrame, plan: OperatorPlan, size: int) -> pl.DataFrame:
    return pl.concat([mask_frame(frame.slice(s, size), plan) for s in range(0, frame.height, size)])


def test_visit_rows_equal_one_pass(ctx: MaskContext) -> None:
    patients = pl.DataFrame(patient_rows(50, seed=2))
    visits = patients.sample(600, with_replacement=True, seed=3)
    assert _batches(visits, build_plan(ctx), 64).equals(mask_frame(visits, build_plan(ctx)))


def test_a_value_seen_before_is_not_computed_again(ctx: MaskContext) -> None:
    calls: list[str] = []
    memo = Memo()

    def parse(value: str) -> str:
        calls.append(value)
        return value[:6]

    for batch in (
        ["重庆市渝中区民族路1号", "重庆市渝中区民族路1号"],
        ["重庆市渝中区民族路1号", None],
    ):
        out = map_distinct(pl.Series(batch, dtype=pl.String), parse, pl.String, memo)
        assert out.to_list() == [v and v[:6] for v in batch]
    assert calls == ["重庆市渝中区民族路1号"]
    op = build_operator("cut_address", {}, ctx)
    column = pl.Series(["重庆市渝中区解放碑街道民族路123号"] * 3)
    assert (
        op.apply(column).to_list() == op.apply(column.head(1)).to_list() * 3 == ["重庆市渝中区"] * 3
    )


def test_the_memo_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(distinct, "MEMO_SIZE", 3)
    memo = Memo()
    assert memo.map(pl.Series(["a", "b", "a"]), str.upper, pl.String).to_list() == ["A", "B", "A"]
    assert len(memo) == 2
    assert memo.map(pl.Series(["a", "c", "d"]), str.upper, pl.String).to_list() == ["A", "C", "D"]
    assert len(memo) == 3 and not memo.off  # started afresh with a, c, d


@settings(max_examples=30, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from(["重庆市渝中区民族路1号", "四川省成都市武侯区人民南路4号", "不详"])), max_size=80),
       st.integers(1, 9))  # fmt: skip
def test_property_same_output_in_any_batching(values: list[str | None], size: int) -> None:
    context = MaskContext(keys={"k1": b"k" * 32}, active_key="k1")
    frame = pl.DataFrame({"address": pl.Series(values, dtype=pl.String)})
    rules = {"address": ("cut_address", {"level": "district"})}
    expected = mask_frame(frame, build_plan(context, rules))
    if frame.height:
        assert _batches(frame, build_plan(context, rules), size).equals(expected)


def test_values_that_do_not_come_back_stop_the_memo() -> None:
    memo = Memo()
    for start in (0, 100, 200):
        batch = pl.Series([f"v{i}" for i in range(start, start + 100)])
        assert (
            map_distinct(batch, str.upper, pl.String, memo).to_list()
            == batch.str.to_uppercase().to_list()
        )
    assert memo.off and len(memo) == 0
