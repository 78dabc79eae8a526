import pytest
from hypothesis import given
from hypothesis import strategies as st

from medshield.classify.grade import grade
from medshield.elements import Level
from medshield.errors import UnknownNameError
from medshield.policy import load_bundle

BUNDLE = load_bundle()
CODES = sorted(BUNDLE.catalogue)


@given(st.lists(st.sampled_from(CODES), min_size=1, max_size=4))
def test_highest_level_wins(codes: list[str]) -> None:
    g = grade(BUNDLE, tuple(codes))
    assert g.level == max(BUNDLE.catalogue[c].level for c in codes)
    assert g.element == codes[0]


def test_no_element_is_the_lowest_level() -> None:
    assert grade(BUNDLE, ()).level is Level.PUBLIC


def test_free_text_floor() -> None:
    g = grade(BUNDLE, ("DE99.00.004.00",), may_embed=True)
    assert g.level is Level.IMPORTANT
    assert "free text" in g.trace


def test_override_level_and_element() -> None:
    g = grade(BUNDLE, ("DE02.01.040.00",), override_level="sensitive", override_by="med-dept")
    assert g.level is Level.SENSITIVE and "med-dept" in g.trace
    g = grade(BUNDLE, ("DE99.00.004.00",), override_element="DE02.01.030.00", override_by="x")
    assert g.element == "DE02.01.030.00" and g.level is Level.IMPORTANT


def test_unknown_element_is_an_error() -> None:
    with pytest.raises(UnknownNameError):
        grade(BUNDLE, ("DE00.00.000.00",))
