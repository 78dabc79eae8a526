from __future__ import annotations

from collections.abc import Callable
from typing import Any

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
