"""The level calculus on small hand-written rule sets, with exact levels and traces.

The property tests (test_calculus.py) say what must hold for every policy; these say what one
policy gives, step by step. They are in the mutation run (docs/mutation.md) and are quick, so a
mutant of a condition, a clamp, a tie-break or a trace note fails here first.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from medshield.elements import Level
from medshield.errors import UnknownNameError
from medshield.policy import (
    Form,
    PolicyBundle,
    RiskBand,
    Scope,
    Stage,
    UseContext,
    base_level,
    column_level,
    effective_level,
    load_bundle,
)
from medshield.policy.schema import ColumnGrade, LevelRule, LevelsSection

DEFAULT = load_bundle()
APPLICATION = "DE01.00.001.00"  # sensitive, medical_application
GENERAL = "DE01.00.002.00"  # normal, medical_application
IMPORTANT = "DE01.00.009.00"  # important, medical_application
IMPORTANT_TOO = "DE01.00.010.00"  # important, medical_application
ATTRIBUTE = "DE02.01.005.01"  # sensitive, personal_attributes


def _rule(name: str, **data: Any) -> LevelRule:
    return LevelRule.model_validate({"name": name, **data})


def _bundle(*rules: LevelRule) -> PolicyBundle:
    return dataclasses.replace(DEFAULT, levels=LevelsSection(rules=rules))


def test_the_elements_of_these_tests_have_the_levels_they_are_chosen_for() -> None:
    levels = {c: DEFAULT.catalogue[c].level for c in (APPLICATION, GENERAL, IMPORTANT, ATTRIBUTE)}
    assert levels == {APPLICATION: Level.SENSITIVE, GENERAL: Level.NORMAL,
                      IMPORTANT: Level.IMPORTANT, ATTRIBUTE: Level.SENSITIVE}  # fmt: skip
    assert DEFAULT.catalogue[ATTRIBUTE].category == "personal_attributes"
    assert DEFAULT.catalogue[APPLICATION].category == "medical_application"


def test_the_base_is_the_highest_element_and_the_first_code_of_a_tie() -> None:
    assert base_level(DEFAULT, []) == (Level.PUBLIC, None)
    assert base_level(DEFAULT, [GENERAL]) == (Level.NORMAL, GENERAL)
    assert base_level(DEFAULT, [GENERAL, IMPORTANT, APPLICATION]) == (Level.IMPORTANT, IMPORTANT)
    assert base_level(DEFAULT, [IMPORTANT_TOO, IMPORTANT]) == (Level.IMPORTANT, IMPORTANT)
    assert base_level(DEFAULT, [APPLICATION, ATTRIBUTE, GENERAL]) == (Level.SENSITIVE, APPLICATION)


def test_no_element_is_public_with_its_trace() -> None:
    result = effective_level(_bundle(), [])
    assert (result.level, result.base, result.base_element) == (Level.PUBLIC, Level.PUBLIC, None)
    assert result.trace == "no element -> public"
    assert result.policy_version == DEFAULT.version


@pytest.mark.parametrize(
    ("when", "matching", "other"),
    [
        ({"stage": ["share"]}, UseContext(stage=Stage.SHARE), UseContext(stage=Stage.STORE)),
        ({"scope": ["alliance"]}, UseContext(scope=Scope.ALLIANCE), UseContext()),
        ({"risk_band": ["critical"]}, UseContext(risk_band=RiskBand.CRITICAL),
         UseContext(risk_band=RiskBand.IMPORTANT)),
        ({"regulation": "pipl"}, UseContext(), UseContext()),  # pipl is active in the bundle
        ({"regulation": "hipaa"}, UseContext(regulations=frozenset({"hipaa"})), UseContext()),
        ({"elements": [APPLICATION]}, UseContext(), None),
        ({"categories": ["medical_application"]}, UseContext(), None),
    ],
    ids=["stage", "scope", "risk_band", "active_regulation", "context_regulation", "elements",
         "categories"],
)  # fmt: skip
def test_each_condition_decides_whether_a_rule_applies(
    when: dict[str, Any], matching: UseContext, other: UseContext | None
) -> None:
    bundle = _bundle(_rule("up", when=when, shift=1))
    assert effective_level(bundle, [APPLICATION], matching).level == Level.IMPORTANT
    if other is not None and when != {"regulation": "pipl"}:
        assert effective_level(bundle, [APPLICATION], other).level == Level.SENSITIVE
    if "elements" in when or "categories" in when:
        assert effective_level(bundle, [ATTRIBUTE], matching).level == Level.SENSITIVE


def test_an_empty_condition_matches_every_use_and_the_form_is_a_condition() -> None:
    bundle = _bundle(_rule("everywhere", shift=1),
                     _rule("masked_down", when={"form": ["masked"]}, shift=-1))  # fmt: skip
    assert effective_level(bundle, [GENERAL]).level == Level.SENSITIVE
    masked = UseContext(form=Form.MASKED, verified=True)
    assert effective_level(bundle, [GENERAL], masked).level == Level.NORMAL
    aggregated = UseContext(form=Form.AGGREGATED, verified=True)
    assert effective_level(bundle, [GENERAL], aggregated).level == Level.SENSITIVE


def test_shift_floor_and_ceiling_clamp_in_that_order() -> None:
    cases = [
        (_rule("r", shift=2), GENERAL, Level.IMPORTANT, "r +2 -> important"),
        (_rule("r", shift=4), IMPORTANT, Level.CONTROLLED, "r +4 -> controlled"),
        (_rule("r", shift=-4), GENERAL, Level.PUBLIC, "r -4 -> public"),
        (_rule("r", shift=-1, floor="sensitive"), GENERAL, Level.SENSITIVE,
         "r -1 at least sensitive -> sensitive"),
        (_rule("r", floor="sensitive"), IMPORTANT, Level.IMPORTANT,
         "r at least sensitive -> important"),
        (_rule("r", shift=1, ceiling="sensitive"), APPLICATION, Level.SENSITIVE,
         "r +1 at most sensitive -> sensitive"),
        (_rule("r", ceiling="sensitive"), GENERAL, Level.NORMAL, "r at most sensitive -> normal"),
        (_rule("r", shift=1, floor="normal", ceiling="normal"), GENERAL, Level.NORMAL,
         "r +1 at least normal at most normal -> normal"),
    ]  # fmt: skip
    for rule, code, level, note in cases:
        result = effective_level(_bundle(rule), [code])
        assert result.level == level, note
        assert [s.render() for s in result.steps] == [note]
        step = result.steps[0]
        assert (step.rule, step.before, step.after) == ("r", result.base, level)


def test_rules_apply_in_policy_order_and_the_trace_shows_each_step() -> None:
    bundle = _bundle(_rule("first", shift=3), _rule("second", ceiling="important"),
                     _rule("third", shift=-1))  # fmt: skip
    result = effective_level(bundle, [GENERAL])
    assert result.level == Level.SENSITIVE
    assert result.trace == (
        f"{GENERAL} -> normal; first +3 -> controlled; second at most important -> important; "
        "third -1 -> sensitive"
    )


def test_a_rule_needing_verification_is_skipped_then_applied_once_verified() -> None:
    bundle = _bundle(_rule("masked", when={"form": ["masked"]}, shift=-1,
                           requires_verified=True))  # fmt: skip
    unverified = effective_level(bundle, [IMPORTANT], UseContext(form=Form.MASKED))
    assert unverified.level == Level.IMPORTANT
    assert [s.render() for s in unverified.steps] == ["masked -1 skipped (unverified)"]
    assert unverified.steps[0].rule == "masked"
    assert (unverified.steps[0].before, unverified.steps[0].after) == (Level.IMPORTANT,) * 2
    verified = effective_level(bundle, [IMPORTANT], UseContext(form=Form.MASKED, verified=True))
    assert verified.level == Level.SENSITIVE
    assert [s.render() for s in verified.steps] == ["masked -1 (verified) -> sensitive"]


def test_unverified_output_is_kept_at_the_raw_level_with_a_step_saying_so() -> None:
    bundle = _bundle(_rule("share_up", when={"form": ["raw"]}, shift=1))
    raw = effective_level(bundle, [GENERAL])
    masked = effective_level(bundle, [GENERAL], UseContext(form=Form.MASKED))
    assert raw.level == masked.level == Level.SENSITIVE
    assert masked.steps[-1].render() == (
        "masked output not verified: kept at the raw level -> sensitive"
    )
    last = masked.steps[-1]
    assert (last.rule, last.before, last.after) == (
        "unverified_output",
        Level.NORMAL,
        Level.SENSITIVE,
    )
    same = effective_level(_bundle(_rule("up", shift=1)), [GENERAL], UseContext(form=Form.MASKED))
    assert [s.rule for s in same.steps] == ["up"]  # raw is no higher: no extra step


def test_several_elements_take_the_highest_result_and_its_trace() -> None:
    bundle = _bundle(_rule("lower_one", when={"elements": [IMPORTANT]}, shift=-2))
    result = effective_level(bundle, [IMPORTANT, APPLICATION])
    assert (result.level, result.base_element) == (Level.SENSITIVE, APPLICATION)
    lowered = effective_level(bundle, [IMPORTANT, GENERAL])
    assert (lowered.level, lowered.base, lowered.base_element) == (
        Level.NORMAL, Level.IMPORTANT, IMPORTANT)  # fmt: skip  # same level: the higher base
    # the same level: the higher base wins, then the first code
    tie = effective_level(_bundle(_rule("cap", ceiling="normal")), [GENERAL, IMPORTANT])
    assert (tie.level, tie.base_element) == (Level.NORMAL, IMPORTANT)
    twins = effective_level(_bundle(), [IMPORTANT_TOO, IMPORTANT])
    assert twins.base_element == IMPORTANT


def test_a_pinned_column_starts_from_its_pin_and_is_moved_by_its_elements() -> None:
    bundle = _bundle(_rule("app_up", when={"elements": [APPLICATION]}, shift=1))
    grade = ColumnGrade(source="his", table="visit", column="note", elements=(APPLICATION,),
                        level=Level.NORMAL, reason="r")  # fmt: skip
    result = column_level(bundle, grade)
    assert (result.level, result.base, result.base_element) == (
        Level.SENSITIVE, Level.NORMAL, "pinned his.visit.note")  # fmt: skip
    assert result.trace == "pinned his.visit.note -> normal; app_up +1 -> sensitive"
    unpinned = grade.model_copy(update={"level": None})
    assert column_level(bundle, unpinned) == effective_level(bundle, [APPLICATION])


@pytest.mark.parametrize("pinned", [None, Level.NORMAL], ids=["unpinned", "pinned"])
def test_an_unknown_element_is_named(pinned: Level | None) -> None:
    grade = ColumnGrade(source="s", table="t", column="c", elements=("DE99.99.999.99",),
                        level=pinned, reason="r")  # fmt: skip
    with pytest.raises(UnknownNameError) as unknown:
        column_level(DEFAULT, grade)
    assert unknown.value.message == "unknown data element 'DE99.99.999.99'"


def test_a_rule_that_does_not_apply_or_is_skipped_does_not_stop_the_rules_after_it() -> None:
    bundle = _bundle(
        _rule("shared_only", when={"stage": ["share"]}, shift=1),
        _rule("masked", when={"form": ["masked"]}, shift=-1, requires_verified=True),
        _rule("cap", ceiling="normal"),
    )
    result = effective_level(bundle, [IMPORTANT], UseContext(form=Form.MASKED))
    assert [s.rule for s in result.steps] == ["masked", "cap"]
    assert result.level == Level.NORMAL  # the raw level is capped too: no raise to keep
