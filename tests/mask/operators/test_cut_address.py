from __future__ import annotations

from collections.abc import Callable
from typing import Any

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
