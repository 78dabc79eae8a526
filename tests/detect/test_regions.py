from __future__ import annotations

from medshield.detect.regions import province_ok, region_ok


def test_region_codes() -> None:
    assert region_ok("500103")  # 重庆市渝中区
    assert region_ok("110105")
    assert not region_ok("990105")  # no province 99
    assert not region_ok("500199")  # no such county


def test_province_prefix_of_masked_ids() -> None:
    assert province_ok("11") and province_ok("8200")
    assert not province_ok("10") and not province_ok("1")
