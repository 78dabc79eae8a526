from __future__ import annotations

import pytest

from medshield.errors import RiskRegisterError
from medshield.risk import Band, band_of, score

# Every boundary of the paper's bands: 17-25, 13-16, 8-12, 4-7, 1-3.
BOUNDARIES = [
    (1, Band.MINOR), (3, Band.MINOR), (4, Band.LOW), (7, Band.LOW), (8, Band.MODERATE),
    (12, Band.MODERATE), (13, Band.IMPORTANT), (16, Band.IMPORTANT), (17, Band.CRITICAL),
    (25, Band.CRITICAL),
]  # fmt: skip


@pytest.mark.parametrize(("value", "band"), BOUNDARIES)
def test_band_boundaries(value: int, band: Band) -> None:
    assert band_of(value) is band


def test_every_product_has_the_band_of_its_range() -> None:
    ranges = {Band.MINOR: (1, 3), Band.LOW: (4, 7), Band.MODERATE: (8, 12),
              Band.IMPORTANT: (13, 16), Band.CRITICAL: (17, 25)}  # fmt: skip
    for likelihood in range(1, 6):
        for severity in range(1, 6):
            r = score(likelihood, severity)
            assert r == likelihood * severity
            low, high = ranges[band_of(r)]
            assert low <= r <= high


def test_chinese_names() -> None:
    assert [b.zh for b in Band] == ["关键风险", "重要风险", "中度风险", "低度风险", "轻微风险"]


@pytest.mark.parametrize("bad", [0, 6, -1, 2.5, True, "3"])
def test_factors_outside_1_to_5_are_refused(bad: object) -> None:
    with pytest.raises(RiskRegisterError):
        score(bad, 3)  # type: ignore[arg-type]
    with pytest.raises(RiskRegisterError):
        score(3, bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [0, 26, -3])
def test_scores_outside_1_to_25_are_refused(bad: int) -> None:
    with pytest.raises(RiskRegisterError):
        band_of(bad)
