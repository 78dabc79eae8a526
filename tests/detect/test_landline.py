from __future__ import annotations

from medshield.detect.landline import LandlineDetector


def found(values: list[str | None], label: str | None = None) -> list[tuple[int, str, bool]]:
    return [
        (f.index, (values[f.index] or "")[f.start : f.end], f.masked)
        for f in LandlineDetector().detect(values, label=label)
    ]


def test_area_code_forms() -> None:
    values: list[str | None] = [
        "023-68812345",  # Chongqing
        "(010)62751234",
        "0755 2345678",
        "02368812345",
        "021-62345678转801",
    ]
    assert [i for i, _, _ in found(values)] == [0, 1, 2, 3, 4]
    assert found(values)[4][1] == "021-62345678转801"


def test_three_digit_area_code_needs_eight_digits() -> None:
    assert found(["010-6275123", "023-6881234"]) == []


def test_masked() -> None:
    assert found(["023-****2345", "023-6881****"]) == [
        (0, "023-****2345", True),
        (1, "023-6881****", True),
    ]


def test_mobile_and_timestamps_are_not_landlines() -> None:
    assert found(["13800138000", "20231105123456", "0.12345678", "023-12345678"]) == []


def test_bare_local_number_needs_phone_label() -> None:
    assert found(["68812345"]) == []
    assert found(["68812345"], label="联系电话") == [(0, "68812345", False)]
    assert found(["68812345"], label="fee_amount") == []
