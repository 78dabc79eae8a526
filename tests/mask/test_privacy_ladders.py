"""The coarsening ladders and the order ``generalise_to_k`` climbs them, on known answers."""

from __future__ import annotations

import polars as pl
import pytest

from medshield.errors import InputError
from medshield.mask.privacy import generalise_to_k, number_bands, prefixes, suppress_small_classes


def test_a_prefix_keeps_the_first_characters() -> None:
    codes = pl.DataFrame({"region": ["500103", "510107", None]})
    [three] = prefixes(3)
    assert codes.select(three(pl.col("region"))).to_series().to_list() == ["500", "510", None]


def test_a_band_names_its_bounds() -> None:
    ages = pl.DataFrame({"age": [0, 39, 40, 105]})
    [ten] = number_bands(10)
    assert ages.select(ten(pl.col("age"))).to_series().to_list() == [
        "0-9", "30-39", "40-49", "100-109",
    ]  # fmt: skip


def test_the_column_with_most_values_climbs_first_one_level_a_round() -> None:
    """``age`` has 6 values, ``zip`` 2: the first round coarsens ``age`` by one level (the
    name order would pick ``zip``), and that first level alone reaches k=2."""
    frame = pl.DataFrame(
        {"age": [31, 32, 33, 34, 35, 36], "zip": ["400010", "400010", "400010"] + ["400020"] * 3}
    )
    result = generalise_to_k(
        frame, ["age", "zip"], 2,
        {"age": number_bands(10, 20), "zip": prefixes(5, 4)},
    )  # fmt: skip
    assert result.levels == {"age": 1, "zip": 0}
    assert result.frame["age"].to_list() == ["30-39"] * 6
    assert result.frame["zip"].to_list() == frame["zip"].to_list()
    assert result.suppressed == 0


def test_when_every_ladder_is_climbed_the_rest_is_suppressed() -> None:
    """The ladders run out before k: the coarsest levels stay, and the classes still below k
    are suppressed (a result, not nothing)."""
    frame = pl.DataFrame({"age": [31, 35, 38, 52, 75]})
    result = generalise_to_k(frame, ["age"], 2, {"age": number_bands(10)})
    assert result.levels == {"age": 1}
    assert result.frame["age"].to_list() == ["30-39"] * 3
    assert result.suppressed == 2


def test_without_quasi_identifiers_the_whole_table_is_one_class() -> None:
    """No quasi-identifier: the table is kept whole when it has k rows or more, else dropped."""
    frame = pl.DataFrame({"dx": ["糖尿病", "高血压", "哮喘"]})
    kept, dropped = suppress_small_classes(frame, [], 3)
    assert kept.equals(frame) and dropped == 0
    kept, dropped = suppress_small_classes(frame, [], 2)
    assert kept.equals(frame) and dropped == 0
    kept, dropped = suppress_small_classes(frame, [], 4)
    assert kept.height == 0 and dropped == 3


def test_k_below_one_is_refused_with_its_place() -> None:
    with pytest.raises(InputError) as err:
        suppress_small_classes(pl.DataFrame({"age": [1]}), ["age"], 0)
    assert err.value.message == "k must be at least 1"
    assert err.value.where == "privacy model"


def test_a_column_climbs_its_ladder_one_level_per_round_until_k() -> None:
    """Bands of 5 give k=2, bands of 10 give k=4: ``age`` climbs to level 2 in two rounds (a
    mutant that sets the level to 1 instead of adding one never leaves the first level)."""
    frame = pl.DataFrame({"age": [31, 33, 35, 38, 41, 42, 44, 45, 47, 49]})
    result = generalise_to_k(frame, ["age"], 4, {"age": number_bands(5, 10, 20)})
    assert result.levels == {"age": 2}
    assert result.frame["age"].to_list() == ["30-39"] * 4 + ["40-49"] * 6
    assert result.suppressed == 0
