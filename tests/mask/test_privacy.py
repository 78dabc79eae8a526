"""k-anonymity, l-diversity and prosecutor risk on tables with known answers."""

from __future__ import annotations

from collections import Counter

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from medshield.errors import InputError
from medshield.mask.privacy import (
    generalise_to_k,
    measure,
    number_bands,
    prefixes,
    suppress_small_classes,
)

TABLE = pl.DataFrame(
    {
        "age": ["30-39", "30-39", "30-39", "40-49", "40-49", "50-59", None],
        "sex": ["男", "男", "男", "女", "女", "女", None],
        "dx": ["糖尿病", "高血压", "糖尿病", "哮喘", "哮喘", "肺炎", "肺炎"],
    }
)


def test_known_answer() -> None:
    # classes: (30-39, 男) x3, (40-49, 女) x2, (50-59, 女) x1, (null, null) x1
    result = measure(TABLE, ["age", "sex"], "dx")
    assert (result.rows, result.classes, result.k) == (7, 4, 1)
    assert result.l == 1  # (40-49, 女) holds only 哮喘
    assert result.max_risk == 1.0
    assert result.avg_risk == pytest.approx(4 / 7)


def test_coarser_quasi_identifiers_raise_k() -> None:
    result = measure(TABLE.filter(pl.col("age").is_not_null()), ["sex"], "dx")
    assert (result.k, result.l, result.classes) == (3, 2, 2)


def test_suppression_reaches_k() -> None:
    kept, dropped = suppress_small_classes(TABLE, ["age", "sex"], 2)
    assert dropped == 2
    assert measure(kept, ["age", "sex"]).k == 2


def test_unknown_column_is_an_input_error() -> None:
    with pytest.raises(InputError, match="height"):
        measure(TABLE, ["height"])


def test_empty_table() -> None:
    assert measure(TABLE.clear(), ["age"]).k == 0


rows = st.lists(
    st.tuples(st.sampled_from(["a", "b", "c", None]), st.integers(0, 3), st.sampled_from("xyz")),
    min_size=1,
    max_size=60,
)


@given(rows, st.integers(1, 6))
def test_measure_matches_counting_classes(data: list[tuple[str | None, int, str]], k: int) -> None:
    frame = pl.DataFrame(data, schema=["q1", "q2", "s"], orient="row")
    sizes = Counter((q1, q2) for q1, q2, _ in data)
    distinct: dict[tuple[str | None, int], set[str]] = {}
    for q1, q2, s in data:
        distinct.setdefault((q1, q2), set()).add(s)
    result = measure(frame, ["q1", "q2"], "s")
    assert result.k == min(sizes.values())
    assert result.l == min(len(v) for v in distinct.values())
    assert result.avg_risk == pytest.approx(
        sum(1 / sizes[(q1, q2)] for q1, q2, _ in data) / len(data)
    )
    kept, dropped = suppress_small_classes(frame, ["q1", "q2"], k)
    assert dropped == sum(n for n in sizes.values() if n < k)
    assert kept.height == 0 or measure(kept, ["q1", "q2"]).k >= k


def test_generalisation_reaches_k_with_fewer_rows_lost_than_suppression() -> None:
    ages = [31, 33, 35, 37, 39, 42, 44, 46, 48, 51, 55, 58, 62, 64, 67, 69, 71, 73]
    frame = pl.DataFrame(
        {"age": ages, "postcode": [f"4000{i % 3}{i % 10}" for i in range(len(ages))]}
    )
    plain, dropped = suppress_small_classes(frame, ["age", "postcode"], 3)
    assert plain.height == 0 and dropped == len(ages)
    result = generalise_to_k(
        frame,
        ["age", "postcode"],
        3,
        {"age": number_bands(10, 20), "postcode": prefixes(5, 4, 3)},
    )
    assert result.suppressed < len(ages)
    assert measure(result.frame, ["age", "postcode"]).k >= 3
    assert result.frame.height + result.suppressed == len(ages)
    assert result.levels["age"] >= 1 and set(result.frame["age"]) <= {
        f"{lo}-{lo + w - 1}" for w in (10, 20) for lo in range(0, 100, w)
    }


def test_generalisation_stops_when_k_is_met() -> None:
    frame = pl.DataFrame({"age": [30, 30, 30, 40, 40, 40]})
    result = generalise_to_k(frame, ["age"], 3, {"age": number_bands(10)})
    assert result.levels == {"age": 0} and result.suppressed == 0
    assert result.frame.equals(frame)
