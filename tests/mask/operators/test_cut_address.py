from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from medshield.elements.divisions import divisions
from medshield.mask.operators import build_operator
from medshield.mask.operators.base import MaskContext


def test_cut_below_district_city_province(
    ctx: MaskContext, vector_equals_scalar: Callable[..., Any]
) -> None:
    values = ["重庆市渝中区解放碑街道民族路123号", "四川省成都市武侯区浆洗街街道", None]
    district = build_operator("cut_address", {}, ctx)
    assert vector_equals_scalar(district, values) == ["重庆市渝中区", "四川省成都市武侯区", None]
    city = build_operator("cut_address", {"level": "city"}, ctx)
    assert vector_equals_scalar(city, values[1:2]) == ["四川省成都市"]
    province = build_operator("cut_address", {"level": "province"}, ctx)
    assert vector_equals_scalar(province, values[1:2]) == ["四川省"]


def test_no_division_found_is_suppressed(ctx: MaskContext) -> None:
    assert build_operator("cut_address", {}, ctx).mask_value("幸福小区5栋2单元301") is None


@settings(max_examples=40, deadline=None)
@given(
    index=st.integers(0, 10_000),
    street=st.sampled_from(["解放碑街道民族路", "幸福路", "人民大道"]),
    number=st.integers(1, 999),
)
def test_only_the_district_part_survives(index: int, street: str, number: int) -> None:
    d = divisions()
    counties = [c for p in ("50", "51", "11", "44") for c in d.counties_of(p)]
    county = counties[index % len(counties)]
    district = d.full_name(county.code)
    address = f"{district}{street}{number}号"
    out = build_operator("cut_address", {}, MaskContext()).mask_value(address)
    assert out is not None and address.startswith(out)
    assert str(number) not in out and street not in out


_COUNTIES = [c for p in divisions().provinces() for c in divisions().counties_of(p.code[:2])]


@settings(max_examples=60, deadline=None)
@given(
    picks=st.lists(
        st.tuples(
            st.integers(0, len(_COUNTIES) - 1),
            st.sampled_from(["", "中国", " ", "中华人民共和国"]),
            st.sampled_from(["full", "no_province", "county_only", "short"]),
            st.sampled_from(["解放碑街道民族路", "幸福小区", "工业园区", "县前街", "旗山路", ""]),
            st.integers(1, 999),
        ),
        min_size=1,
        max_size=25,
    ),
    level=st.sampled_from(["province", "city", "district", "town"]),
)
def test_whole_columns_cut_exactly_as_one_address_at_a_time(
    picks: list[tuple[int, str, str, str, int]], level: str
) -> None:
    """Columns are cut by their heads (the text up to the first 区, 县 or 旗); every address must
    still get what ``mask_value`` gives it, whatever comes after the head."""
    d = divisions()
    values = []
    for index, country, form, street, number in picks:
        county = _COUNTIES[index]
        path = d.path(county.code)
        names = {
            "full": "".join(p.name for p in path),
            "no_province": "".join(p.name for p in path[1:]),
            "county_only": county.name,
            "short": "".join(p.short or p.name for p in path),
        }[form]
        values.append(f"{country}{names}{street}{number}号")
    op = build_operator("cut_address", {"level": level}, MaskContext())
    column = pl.Series(values + ["不详", None], dtype=pl.String)
    assert op.apply(column).to_list() == [op.mask_value(v) for v in values] + [None, None]
