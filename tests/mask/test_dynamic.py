from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medshield.mask.dictionary import starter_dictionary
from medshield.mask.dynamic import compiled_plan, mask_records
from medshield.mask.operators.base import MaskContext
from medshield.mask.operators.idnumber import check_digit
from medshield.mask.plan import mask_frame, plan_for
from medshield.policy import PolicyBundle, grant_masking, load_bundle
from medshield.policy.context import UseContext

BUNDLE: PolicyBundle = load_bundle()
CTX = MaskContext(
    keys={"k1": b"q" * 32},
    active_key="k1",
    release_id="dyn-test",
    extras={"dictionary": starter_dictionary()},
)
COLUMNS = {
    "xm": "DE02.01.039.00",
    "sfzh": "DE02.01.030.00",
    "sjhm": "DE02.01.010.00",
    "jzrq": "DE06.00.062.00",
    "zdmc": "DE05.01.025.00",
    "blh": "DE01.00.021.00",
    "nl": "DE02.01.026.00",
    "bz": "DE99.00.004.00",
}
USES = [
    UseContext(role="doctor", scenario="collaborative_care"),
    UseContext(role="researcher", scenario="clinical_pathway"),
    UseContext(role="health_educator", scenario="health_education"),
    UseContext(role="api_client"),
]


def ident(born: date, seq: int) -> str:
    first = f"500103{born:%Y%m%d}{seq:03d}"
    return first + check_digit(first)


record = st.fixed_dictionaries(
    {
        "xm": st.one_of(
            st.none(), st.sampled_from(["张三", "欧阳娜娜", "李"]), st.text(max_size=6)
        ),
        "sfzh": st.one_of(
            st.none(),
            st.builds(ident, st.dates(date(1920, 1, 1), date(2020, 1, 1)), st.integers(0, 999)),
        ),
        "sjhm": st.one_of(st.none(), st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)),
        "jzrq": st.one_of(st.none(), st.dates(date(2000, 1, 1), date(2030, 1, 1))),
        "zdmc": st.one_of(
            st.none(), st.sampled_from(["癌症", "2型糖尿病", "未知病", "古典型霍乱"])
        ),
        "blh": st.one_of(st.none(), st.from_regex(r"MR[0-9]{6}", fullmatch=True)),
        "nl": st.one_of(st.none(), st.integers(0, 110)),
        "bz": st.one_of(
            st.none(), st.sampled_from(["无", "电话13800138000", "身份证11010519491231002X"])
        ),
    }
)


@settings(max_examples=40, deadline=None)
@given(records=st.lists(record, min_size=1, max_size=12), use=st.sampled_from(USES))
def test_dynamic_equals_the_vectorised_engine(
    records: list[dict[str, Any]], use: UseContext
) -> None:
    fast = mask_records(records, COLUMNS, use, BUNDLE, mask_context=CTX)
    frame = pl.DataFrame(
        records,
        schema={
            "xm": pl.String,
            "sfzh": pl.String,
            "sjhm": pl.String,
            "jzrq": pl.Date,
            "zdmc": pl.String,
            "blh": pl.String,
            "nl": pl.Int64,
            "bz": pl.String,
        },
    )
    slow = mask_frame(frame, plan_for(COLUMNS, grant_masking(BUNDLE, use), BUNDLE), CTX)
    assert fast == slow.select(list(COLUMNS)).to_dicts()


@settings(max_examples=40, deadline=None)
@given(
    records=st.lists(record, min_size=1, max_size=8),
    use=st.sampled_from(USES),
    names=st.lists(st.sampled_from([*sorted(COLUMNS), "extra"]), min_size=1, unique=True),
)
def test_apply_rows_of_named_columns_equals_apply_of_the_projection(
    records: list[dict[str, Any]], use: UseContext, names: list[str]
) -> None:
    """``apply_rows(index, rows, names)`` reads only ``names`` of each row, in their order: the
    same as masking the rows cut to those columns (a column beyond them never reaches an
    operator; one beyond the plan is None)."""
    plan = compiled_plan(COLUMNS, use, BUNDLE, CTX)
    rows = [{**r, "extra": "身份证11010519491231002X"} for r in records]
    projected = plan.apply([{n: r[n] for n in names} for r in rows])
    columns = list(rows[0])
    index = {name: i for i, name in enumerate(columns)}
    named = plan.apply_rows(index, [tuple(r[c] for c in columns) for r in rows], names)
    assert named == projected
    assert [list(r) for r in named] == [names] * len(rows)


def test_unknown_fields_are_suppressed_and_plans_cached() -> None:
    use = UseContext(role="doctor", scenario="collaborative_care")
    out = mask_records(
        [{"xm": "张三", "secret": "x"}], {"xm": COLUMNS["xm"]}, use, BUNDLE, mask_context=CTX
    )
    assert out == [{"xm": "张*", "secret": None}]
    one = compiled_plan({"xm": COLUMNS["xm"]}, use, BUNDLE, CTX)
    assert one is compiled_plan({"xm": COLUMNS["xm"]}, use, BUNDLE, CTX)


def test_default_mask_context_uses_the_home_key_ring(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import stat

    monkeypatch.setenv("MEDSHIELD_HOME", str(tmp_path))
    use = UseContext(role="doctor", scenario="collaborative_care")
    out = mask_records([{"blh": "MR000001"}], {"blh": COLUMNS["blh"]}, use, BUNDLE)
    assert out[0]["blh"].startswith("k1:P")
    ring = tmp_path / "keys" / "masking.json"
    assert stat.S_IMODE(os.stat(ring).st_mode) == 0o600


def test_a_new_mask_context_gets_its_own_keys() -> None:
    use = UseContext(role="doctor", scenario="collaborative_care")
    columns = {"blh": COLUMNS["blh"]}
    seen = set()
    for i in range(20):  # contexts made and dropped: never served another context's keys
        ctx = MaskContext(keys={"k1": bytes([i]) * 32}, active_key="k1")
        [row] = mask_records([{"blh": "MR000001"}], columns, use, BUNDLE, mask_context=ctx)
        seen.add(row["blh"])
    assert len(seen) == 20


def test_an_operator_without_a_scalar_path_goes_through_apply() -> None:
    from medshield.mask.dynamic import _through_apply
    from medshield.mask.operators import build_operator

    for name, params, value in [
        ("cover", {"keep_surname": True}, "欧阳娜娜"),
        ("id_to_age_band", {"reference": "2026-01-01"}, "11010519491231002X"),
        ("date_shift", {"key_column": "p"}, {"d": date(2024, 1, 1), "p": "a"}),
    ]:
        op = build_operator(name, params, CTX)
        assert _through_apply(op)(value) == op.mask_value(value)  # type: ignore[attr-defined]
