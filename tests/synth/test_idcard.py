from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from medshield.synth.idcard import check_chars, id_numbers

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


@given(st.lists(st.text("0123456789", min_size=17, max_size=17), max_size=20))
def test_check_chars_follow_iso_7064(bodies: list[str]) -> None:
    expected = ["10X98765432"[sum(int(c) * w for c, w in zip(b, WEIGHTS)) % 11] for b in bodies]  # noqa: B905
    assert check_chars(bodies) == expected


def test_known_number() -> None:
    assert check_chars(["11010519491231002"]) == ["X"]  # the GB 11643 example


@given(st.integers(0, 2**32 - 1), st.lists(st.booleans(), min_size=1, max_size=30))
def test_sex_digit_and_birth(seed: int, males: list[bool]) -> None:
    male = np.array(males)
    births = ["1990-02-28"] * len(males)
    numbers = id_numbers(["500103"] * len(males), births, male, np.random.default_rng(seed))
    for number, m in zip(numbers, males, strict=True):
        assert number.startswith("50010319900228")
        assert (int(number[16]) % 2 == 1) == m
        assert check_chars([number[:17]]) == [number[17]]
