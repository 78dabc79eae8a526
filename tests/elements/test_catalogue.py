"""The built-in data-element catalogue: unique codes, known categories, working overrides."""

from __future__ import annotations

import re

import pytest

from medshield.elements import CATEGORIES, SCENARIOS, Level, load_catalogue
from medshield.elements.catalogue import ELEMENT_CODE, DataElement
from medshield.errors import UnknownNameError


def test_codes_are_unique_and_well_formed() -> None:
    catalogue = load_catalogue()
    assert len(catalogue) == len(set(catalogue)) > 50
    assert all(re.match(ELEMENT_CODE, code) for code in catalogue)


def test_every_category_is_used_and_names_are_chinese() -> None:
    catalogue = load_catalogue()
    used = {e.category for e in catalogue.values()}
    assert used == {c.key for c in CATEGORIES}
    assert all(re.search(r"[\u4e00-\u9fff]", e.zh) for e in catalogue.values())


def test_direct_identifiers_are_at_least_sensitive() -> None:
    for element in load_catalogue().values():
        if element.identifier == "direct":
            assert element.level >= Level.SENSITIVE, element.code


def test_scenarios_are_the_five_of_the_paper() -> None:
    assert len(SCENARIOS) == len({s.key for s in SCENARIOS}) == 5


def test_unknown_code_is_an_unknown_name() -> None:
    with pytest.raises(UnknownNameError, match="DE99"):
        load_catalogue()["DE99.99.999.99"]


def test_overrides_change_only_the_named_element() -> None:
    catalogue = load_catalogue()
    code = "DE02.01.017.00"
    changed = catalogue.with_overrides({code: {"level": "normal"}})
    assert changed[code].level is Level.NORMAL
    assert changed[code].zh == catalogue[code].zh
    assert all(changed[c] == catalogue[c] for c in catalogue if c != code)


def test_extra_elements_are_added() -> None:
    extra = DataElement(
        code="DE98.00.001.00",
        zh="医保卡号",
        en="insurance card number",
        category="medical_payment",
        level=Level.IMPORTANT,
        masking="cover",
        identifier="direct",
    )
    grown = load_catalogue().extended([extra])
    assert grown["DE98.00.001.00"].zh == "医保卡号"
    assert len(grown) == len(load_catalogue()) + 1


def test_membership_does_not_raise() -> None:
    catalogue = load_catalogue()
    assert "DE02.01.039.00" in catalogue
    assert "DE98.00.001.00" not in catalogue
    assert catalogue.get("DE98.00.001.00") is None
