"""Values remembered across batches give exactly the operators' own output."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from medshield.mask.engine import OperatorPlan, mask_frame
from medshield.mask.engine.memo import Remembering, remembering
from medshield.mask.operators.base import MaskContext

from .conftest import build_plan, patient_rows


def _batches(frame: pl.DataFrame, plan: OperatorPlan, size: int) -> pl.DataFrame:
    return pl.concat([mask_frame(frame.slice(s, size), plan) for s in range(0, frame.height, size)])


def test_visit_rows_equal_the_plain_operators(ctx: MaskContext) -> None:
    patients = pl.DataFrame(patient_rows(50, seed=2))
    visits = patients.sample(600, with_replacement=True, seed=3)
    plan = remembering(build_plan(ctx))
    assert isinstance(plan["id_no"], Remembering)
    assert plan["id"] is None
    assert _batches(visits, plan, 64).equals(mask_frame(visits, build_plan(ctx)))
    memory = plan["id_no"].memory  # type: ignore[union-attr]
    assert 0 < len(memory) <= 50


def test_unique_values_stop_the_memory(ctx: MaskContext) -> None:
    patients = pl.DataFrame(patient_rows(400, seed=5))
    plan = remembering(build_plan(ctx))
    assert _batches(patients, plan, 100).equals(mask_frame(patients, build_plan(ctx)))
    operator = plan["id_no"]
    assert isinstance(operator, Remembering) and operator.off and not operator.memory


@settings(max_examples=30, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from(["张三", "李四", "王五", "欧阳娜娜"])), max_size=80),
       st.integers(1, 9))  # fmt: skip
def test_property_same_output_in_any_batching(values: list[str | None], size: int) -> None:
    context = MaskContext(keys={"k1": b"k" * 32}, active_key="k1")
    frame = pl.DataFrame({"name": pl.Series(values, dtype=pl.String)})
    rules = {"name": ("cover", {"keep_surname": True})}
    expected = mask_frame(frame, build_plan(context, rules))
    if frame.height:
        assert _batches(frame, remembering(build_plan(context, rules)), size).equals(expected)
