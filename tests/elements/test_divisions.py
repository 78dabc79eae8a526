from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medshield.elements.divisions import Division, divisions
from medshield.policy import load_bundle


def test_names_of_every_level() -> None:
    d = divisions()
    assert d.name("500000") == "重庆市"
    assert d.name("510100") == "成都市"
    assert d.name("500103") == "渝中区"
    assert d.name("999999") is None
    assert d.full_name("510107") == "四川省成都市武侯区"
    assert d.full_name("429004") == "湖北省仙桃市"


def test_whole_country_is_present() -> None:
    d = divisions()
    provinces = {p.name for p in d.provinces()}
    assert len(provinces) == 34
    assert {"西藏自治区", "香港特别行政区", "黑龙江省"} <= provinces
    assert len(d.counties_of("")) > 2800


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("500103", True),
        ("110105", True),
        ("500228", True),  # 梁平县, withdrawn 2016, still heads older ID numbers
        ("411023", True),  # 许昌县
        ("500299", False),
        ("000000", False),
        ("5001", False),
    ],
)
def test_is_valid_region(code: str, valid: bool) -> None:
    assert divisions().is_valid_region(code) is valid


def test_counties_and_towns_for_the_alliance_districts() -> None:
    d = divisions()
    chongqing = {c.code for c in d.counties_of("50")}
    assert "500228" not in chongqing  # historic rows only on request
    assert "500228" in {c.code for c in d.counties_of("50", historic=True)}
    for institution in load_bundle().institutions:
        code = institution.location.admin_code
        assert code in chongqing
        assert d.name(code) == institution.location.district
        assert len(d.towns_of(code)) >= 5
    assert "解放碑街道" in d.towns_of("500103")
    assert "小龙坎街道" in d.towns_of("500106")
    assert d.towns_of("999999") == ()


@pytest.mark.parametrize(
    ("text", "province", "city", "district", "town", "rest", "code"),
    [
        (
            "重庆市渝中区解放碑街道民族路123号",
            "重庆市",
            "重庆市",
            "渝中区",
            "解放碑街道",
            "民族路123号",
            "500103",
        ),
        (
            "重庆渝中区解放碑街道民族路123号",
            "重庆",
            "重庆",
            "渝中区",
            "解放碑街道",
            "民族路123号",
            "500103",
        ),
        (
            "渝中区解放碑街道民族路123号",
            None,
            None,
            "渝中区",
            "解放碑街道",
            "民族路123号",
            "500103",
        ),
        (
            "重庆市渝北区两路镇双凤路3号",
            "重庆市",
            "重庆市",
            "渝北区",
            "两路镇",
            "双凤路3号",
            "500112",
        ),
        (
            "四川省成都市武侯区玉林街道玉林北路5号",
            "四川省",
            "成都市",
            "武侯区",
            "玉林街道",
            "玉林北路5号",
            "510107",
        ),
        (
            "成都市武侯区人民南路四段1号",
            None,
            "成都市",
            "武侯区",
            None,
            "人民南路四段1号",
            "510107",
        ),
        ("江苏南京鼓楼区中山北路1号", "江苏", "南京", "鼓楼区", None, "中山北路1号", "320106"),
        (
            "广西壮族自治区南宁市青秀区新竹街道民族大道1号",
            "广西壮族自治区",
            "南宁市",
            "青秀区",
            "新竹街道",
            "民族大道1号",
            "450103",
        ),
        (
            "内蒙古呼和浩特市新城区海拉尔东路2号",
            "内蒙古",
            "呼和浩特市",
            "新城区",
            None,
            "海拉尔东路2号",
            "150102",
        ),
        (
            "新疆维吾尔自治区伊犁哈萨克自治州伊宁市解放路3号",
            "新疆维吾尔自治区",
            "伊犁哈萨克自治州",
            "伊宁市",
            None,
            "解放路3号",
            "654002",
        ),
        (
            "四川省凉山州西昌市长安街道1号",
            "四川省",
            "凉山州",
            "西昌市",
            "长安街道",
            "1号",
            "513401",
        ),
        ("西藏拉萨市城关区北京中路1号", "西藏", "拉萨市", "城关区", None, "北京中路1号", "540102"),
        (
            "湖北省仙桃市沙嘴街道仙桃大道1号",
            "湖北省",
            None,
            "仙桃市",
            "沙嘴街道",
            "仙桃大道1号",
            "429004",
        ),
        ("广东省东莞市虎门镇连升路8号", "广东省", "东莞市", None, "虎门镇", "连升路8号", "441900"),
        (
            "吉林省长春市朝阳区人民大街1号",
            "吉林省",
            "长春市",
            "朝阳区",
            None,
            "人民大街1号",
            "220104",
        ),
    ],
)
def test_parse_address(
    text: str,
    province: str | None,
    city: str | None,
    district: str | None,
    town: str | None,
    rest: str,
    code: str,
) -> None:
    parts = divisions().parse_address(text)
    assert (parts.province, parts.city, parts.district, parts.town, parts.rest) == (
        province,
        city,
        district,
        town,
        rest,
    )
    assert parts.region_code == code


def test_ambiguous_district_keeps_its_text_but_no_code() -> None:
    parts = divisions().parse_address("朝阳区建国路88号")  # Beijing's or Changchun's?
    assert parts.district == "朝阳区"
    assert parts.district_code is None
    assert parts.rest == "建国路88号"


def test_cut_levels() -> None:
    parts = divisions().parse_address("重庆市渝中区解放碑街道民族路123号")
    assert parts.cut("province") == "重庆市"
    assert parts.cut("city") == "重庆市"
    assert parts.cut("district") == "重庆市渝中区"
    assert parts.cut("town") == "重庆市渝中区解放碑街道"
    other = divisions().parse_address("四川省成都市武侯区玉林街道玉林北路5号")
    assert other.cut("city") == "四川省成都市"
    assert other.cut("district") == "四川省成都市武侯区"


def test_country_name_is_skipped() -> None:
    parts = divisions().parse_address("中国 重庆市渝中区解放碑街道民族路123号")
    assert (parts.province, parts.district_code, parts.rest) == ("重庆市", "500103", "民族路123号")
    assert divisions().parse_address("中山市石岐街道孙文路1号").city == "中山市"  # not 中(国)


def test_unknown_text_is_all_rest() -> None:
    parts = divisions().parse_address("民族路123号")
    assert parts.region_code is None
    assert parts.rest == "民族路123号"


@given(st.sampled_from(divisions().counties_of("50")), st.integers(1, 999))
def test_generated_chongqing_addresses_round_trip(county: Division, number: int) -> None:
    d = divisions()
    code = county.code
    towns = d.towns_of(code)
    town = towns[number % len(towns)] if towns else ""
    parts = d.parse_address(f"{d.full_name(code)}{town}幸福路{number}号")
    assert parts.district_code == code
    assert parts.town == (town or None)
    assert parts.rest == f"幸福路{number}号"


def test_every_county_of_the_country_parses_back() -> None:
    """Full path, city + county, short province + city, province + short city (济南市中区)."""
    d = divisions()
    failures = []
    for county in d.counties_of(""):
        path = d.path(county.code)
        towns = d.towns_of(county.code)
        forms = [f"{d.full_name(county.code)}{towns[0] if towns else ''}幸福路1号"]
        if len(path) == 3 and "直辖" not in path[1].name:
            province, city = path[0], path[1]
            forms += [
                f"{city.name}{county.name}幸福路1号",
                f"{province.short}{city.name}{county.name}幸福路1号",
                f"{province.name}{city.short}{county.name}幸福路1号",
            ]
        for text in forms:
            parts = d.parse_address(text)
            if parts.district_code != county.code or parts.rest != "幸福路1号":
                failures.append(text)
    assert failures == []
