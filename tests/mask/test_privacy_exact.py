"""The privacy measures at their corners, with exact answers (``mask/privacy.py``).

In the mutation run (docs/mutation.md): each test fails on a mutant that changes an error's
text or place, the whole-table class, or a field of the measure.
"""

from __future__ import annotations

import polars as pl
import pytest

from medshield.errors import InputError
from medshield.mask.privacy import PrivacyMeasure, measure, suppress_small_classes

TABLE = pl.DataFrame(
    {
        "age": ["30-39", "30-39", "40-49", "40-49", "40-49"],
        "dx": ["糖尿病", "哮喘", "肺炎", "肺炎", "哮喘"],
    }
)


def test_missing_columns_are_named_in_one_error_with_its_place() -> None:
    with pytest.raises(InputError) as missing:
        measure(TABLE, ["age", "height", "weight"])
    assert missing.value.message == "no column(s) height, weight in the table"
    assert missing.value.where == "privacy model"
    with pytest.raises(InputError) as sensitive:
        measure(TABLE, ["age"], "血型")
    assert sensitive.value.message == "no column(s) 血型 in the table"


def test_every_field_of_a_measure() -> None:
    assert measure(TABLE, ["age"], "dx") == PrivacyMeasure(
        rows=5, classes=2, k=2, l=2, max_risk=0.5, avg_risk=0.4
    )
    assert measure(TABLE, ["age"]) == PrivacyMeasure(5, 2, 2, None, 0.5, 0.4)


def test_without_quasi_identifiers_the_table_is_one_class() -> None:
    assert measure(TABLE, [], "dx") == PrivacyMeasure(5, 1, 5, 3, 0.2, 0.2)
    assert measure(TABLE, []) == PrivacyMeasure(5, 1, 5, None, 0.2, 0.2)


def test_an_empty_table_measures_zero_and_l_only_with_a_sensitive_column() -> None:
    assert measure(TABLE.clear(), ["age"], "dx") == PrivacyMeasure(0, 0, 0, 0, 0.0, 0.0)
    assert measure(TABLE.clear(), ["age"]) == PrivacyMeasure(0, 0, 0, None, 0.0, 0.0)
    assert measure(TABLE.clear(), []) == PrivacyMeasure(0, 0, 0, None, 0.0, 0.0)


def test_suppression_without_quasi_keeps_or_drops_the_whole_table() -> None:
    kept, dropped = suppress_small_classes(TABLE, [], 5)
    assert (kept.height, dropped) == (5, 0)
    kept, dropped = suppress_small_classes(TABLE, [], 6)
    assert (kept.height, dropped) == (0, 5)
    assert kept.columns == TABLE.columns
    with pytest.raises(InputError) as missing:
        suppress_small_classes(TABLE, ["sex"], 2)
    assert missing.value.where == "privacy model"
