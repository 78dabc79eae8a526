from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from medshield.detect.scan import JoinedColumn, label_has

DIGITS = re.compile(r"\d+")


@given(st.lists(st.one_of(st.none(), st.text(alphabet="ab1 2\n张", max_size=8)), max_size=20))
def test_hits_map_back_to_their_values(values: list[str | None]) -> None:
    expected = [
        (i, m.start(), m.end())
        for i, v in enumerate(values)
        if v
        for m in DIGITS.finditer(v.replace("\n", " "))
    ]
    got = [(h.index, h.start, h.end) for h in JoinedColumn(values).hits(DIGITS)]
    assert got == expected


def test_whole_ignores_surrounding_blanks() -> None:
    hits = list(JoinedColumn([" 123 ", "a123"]).hits(DIGITS))
    assert [h.whole for h in hits] == [True, False]


def test_label_has_is_case_insensitive() -> None:
    assert label_has("Patient_Mobile", ("mobile",))
    assert not label_has(None, ("mobile",))


def test_full_width_digits_are_read_as_ascii() -> None:
    from medshield.detect import detect_all

    value = "电话：１３８００１３８０００，证件１１０１０５１９４９１２３１００２Ｘ"
    found = {f.detector: value[f.start : f.end] for f in detect_all([value])}
    assert found["mobile"] == "１３８００１３８０００"
    assert found["cn_id"] == "１１０１０５１９４９１２３１００２Ｘ"
