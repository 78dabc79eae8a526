from __future__ import annotations

from datetime import date, timedelta

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from medshield.mask.operators import apply_operator, build_operator
from medshield.mask.operators.base import MaskContext

CTX = MaskContext(keys={"k": b"k" * 32}, active_key="k", release_id="r1")


@given(
    rows=st.lists(
        st.tuples(
            st.dates(date(1950, 1, 1), date(2030, 1, 1)),
            st.sampled_from(["p1", "p2", " p3", "张三", "ｐ４"]),
        ),
        min_size=1,
        max_size=30,
    ),
    days=st.integers(1, 60),
)
def test_per_patient_shift_within_bounds_intervals_kept(
    rows: list[tuple[date, str]], days: int
) -> None:
    op = build_operator("date_shift", {"days": days, "key_column": "pid"}, CTX)
    frame = pl.DataFrame({"d": [r[0] for r in rows], "pid": [r[1] for r in rows]})
    out = apply_operator(op, frame, "d").to_list()
    struct_rows = frame.select(pl.struct("d", "pid")).to_series().to_list()
    assert out == [op.mask_value(r) for r in struct_rows]
    shifts: dict[str, timedelta] = {}
    for (raw, pid), new in zip(rows, out, strict=True):
        delta = new - raw
        assert 1 <= abs(delta.days) <= days
        assert shifts.setdefault(pid, delta) == delta  # one shift per patient


def test_text_dates_keep_their_time_and_nulls_stay() -> None:
    op = build_operator("date_shift", {"days": 10, "key_column": "pid"}, CTX)
    frame = pl.DataFrame({"d": ["2024-02-28 08:30", None, "不详"], "pid": ["p1", "p1", "p1"]})
    out = apply_operator(op, frame, "d").to_list()
    assert out[1] is None and out[2] is None
    assert out[0][10:] == " 08:30" and out[0] != "2024-02-28 08:30"


def test_without_a_key_column_one_shift_for_the_release() -> None:
    op = build_operator("date_shift", {"days": 30}, CTX)
    frame = pl.DataFrame({"d": [date(2020, 1, 1), date(2021, 6, 1)]})
    out = apply_operator(op, frame, "d").to_list()
    assert out[0] - date(2020, 1, 1) == out[1] - date(2021, 6, 1) != timedelta(0)
