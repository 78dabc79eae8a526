"""Properties of the level calculus, on the default policy and on any valid set of level rules."""

from __future__ import annotations

import dataclasses
from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from medshield.elements import CATEGORIES, Level
from medshield.errors import InputError
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


@cache
def _default() -> PolicyBundle:
    return load_bundle()


CODES = sorted(_default().catalogue)
NON_RAW = [f for f in Form if f is not Form.RAW]

# Rules name elements among the first few codes; drawing those often makes rules match.
code_st = st.sampled_from(CODES[:16]) | st.sampled_from(CODES)
codes_st = st.frozensets(code_st, min_size=1, max_size=5)
contexts = st.builds(
    UseContext,
    form=st.sampled_from(list(Form)),
    stage=st.sampled_from(list(Stage)),
    scope=st.sampled_from(list(Scope)),
    risk_band=st.none() | st.sampled_from(list(RiskBand)),
    verified=st.booleans(),
    regulations=st.frozensets(st.sampled_from(["pipl", "data_security_law", "other"])),
)
levels_st = st.sampled_from(list(Level))


def _rule_data(draw: st.DrawFn, index: int) -> dict[str, Any]:
    when: dict[str, Any] = {
        "form": draw(st.lists(st.sampled_from([f.value for f in Form]), unique=True, max_size=4)),
        "stage": draw(st.lists(st.sampled_from([s.value for s in Stage]), unique=True, max_size=2)),
        "scope": draw(st.lists(st.sampled_from([s.value for s in Scope]), unique=True, max_size=2)),
        "elements": draw(st.lists(st.sampled_from(CODES[:12]), unique=True, max_size=2)),
        "categories": draw(st.lists(st.sampled_from([c.key for c in CATEGORIES]), max_size=1)),
    }
    if draw(st.booleans()):
        when["regulation"] = "pipl"
    return {
        "name": f"rule_{index}",
        "when": when,
        "shift": draw(st.integers(-4, 4)),
        "floor": draw(st.none() | levels_st.map(str)),
        "ceiling": draw(st.none() | levels_st.map(str)),
        "requires_verified": draw(st.booleans()),
    }


@st.composite
def valid_rules(draw: st.DrawFn) -> tuple[LevelRule, ...]:
    """Random level rules that the schema accepts; the rest are dropped."""
    rules = []
    for index in range(draw(st.integers(0, 7))):
        try:
            rules.append(LevelRule.model_validate(_rule_data(draw, index)))
        except ValidationError:
            continue
    return tuple(rules)


def _with_rules(rules: tuple[LevelRule, ...]) -> PolicyBundle:
    return dataclasses.replace(_default(), levels=LevelsSection(rules=rules))


bundles = st.one_of(st.just(_default()), valid_rules().map(_with_rules))


@settings(max_examples=150, deadline=None)
@given(bundle=bundles, codes=codes_st, ctx=contexts, form=st.sampled_from(NON_RAW))
def test_masking_never_raises_a_level(
    bundle: PolicyBundle, codes: frozenset[str], ctx: UseContext, form: Form
) -> None:
    raw = effective_level(bundle, codes, dataclasses.replace(ctx, form=Form.RAW))
    treated = effective_level(bundle, codes, dataclasses.replace(ctx, form=form))
    assert treated.level <= raw.level


@settings(max_examples=150, deadline=None)
@given(bundle=bundles, codes=codes_st, ctx=contexts, form=st.sampled_from(NON_RAW))
def test_unverified_masking_never_lowers(
    bundle: PolicyBundle, codes: frozenset[str], ctx: UseContext, form: Form
) -> None:
    raw = effective_level(bundle, codes, dataclasses.replace(ctx, form=Form.RAW, verified=False))
    treated = effective_level(bundle, codes, dataclasses.replace(ctx, form=form, verified=False))
    assert treated.level >= raw.level


@settings(max_examples=150, deadline=None)
@given(bundle=bundles, codes=codes_st, ctx=contexts)
def test_a_combination_is_never_below_any_part(
    bundle: PolicyBundle, codes: frozenset[str], ctx: UseContext
) -> None:
    whole = effective_level(bundle, codes, ctx)
    for code in codes:
        assert whole.level >= effective_level(bundle, [code], ctx).level
    assert whole.level == max(effective_level(bundle, [c], ctx).level for c in codes)


@settings(max_examples=100, deadline=None)
@given(bundle=bundles, codes=codes_st, ctx=contexts)
def test_same_inputs_same_level_and_trace(
    bundle: PolicyBundle, codes: frozenset[str], ctx: UseContext
) -> None:
    first = effective_level(bundle, sorted(codes), ctx)
    again = effective_level(bundle, sorted(codes, reverse=True), dataclasses.replace(ctx))
    assert first == again
    assert first.trace == again.trace
    assert first.policy_version == bundle.version


@settings(max_examples=100, deadline=None)
@given(codes=codes_st)
def test_base_level_is_the_highest_element(codes: frozenset[str]) -> None:
    bundle = _default()
    level, element = base_level(bundle, codes)
    assert element in codes
    assert level == max(bundle.catalogue[c].level for c in codes)
    assert bundle.catalogue[element].level == level


@settings(max_examples=100, deadline=None)
@given(bundle=bundles, codes=codes_st, ctx=contexts)
def test_the_trace_explains_the_level(
    bundle: PolicyBundle, codes: frozenset[str], ctx: UseContext
) -> None:
    result = effective_level(bundle, codes, ctx)
    level = result.base
    for step in result.steps:
        assert step.before == level
        level = step.after
    assert level == result.level
    assert result.trace.startswith(f"{result.base_element} -> {result.base}")


def test_default_masked_unverified_is_skipped_in_the_trace() -> None:
    name = "DE02.01.039.00"  # patient name
    base = _default().catalogue[name].level
    unverified = effective_level(_default(), [name], UseContext(form=Form.MASKED))
    verified = effective_level(_default(), [name], UseContext(form=Form.MASKED, verified=True))
    assert unverified.level == base
    assert "masked -1 skipped (unverified)" in unverified.trace
    assert verified.level == base.shifted(-1)
    assert "masked -1 (verified)" in verified.trace


def test_unknown_element_is_an_input_error() -> None:
    with pytest.raises(InputError, match="DE99.99.999.99"):
        effective_level(_default(), ["DE99.99.999.99"])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"when": {"form": ["masked"]}, "shift": 1}, "raises the level of non-raw data"),
        ({"when": {"form": ["aggregated"]}, "floor": "sensitive"}, "raises the level"),
        ({"when": {"form": ["raw"]}, "shift": -1}, "lowers raw data but not every other form"),
        ({"when": {"form": ["raw", "masked"]}, "ceiling": "normal"}, "lowers raw data"),
        ({"when": {"stage": ["store"]}}, "does nothing"),
    ],
)
def test_the_schema_refuses_rules_that_break_the_properties(
    data: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        LevelRule.model_validate({"name": "r", **data})


def test_unverified_output_keeps_a_raw_only_raise() -> None:
    raise_raw = LevelRule.model_validate(
        {"name": "raw_in_transit", "when": {"form": ["raw"]}, "shift": 1}
    )
    bundle = _with_rules((raise_raw,))
    code = "DE02.01.040.00"  # gender code, normal
    raw = effective_level(bundle, [code], UseContext())
    unverified = effective_level(bundle, [code], UseContext(form=Form.MASKED))
    verified = effective_level(bundle, [code], UseContext(form=Form.MASKED, verified=True))
    assert raw.level == unverified.level == Level.SENSITIVE
    assert "masked output not verified: kept at the raw level -> sensitive" in unverified.trace
    assert verified.level == Level.NORMAL


@settings(max_examples=100, deadline=None)
@given(
    bundle=bundles,
    codes=st.frozensets(code_st, max_size=3),
    pin=levels_st,
    ctx=contexts,
    form=st.sampled_from(NON_RAW),
)
def test_pinned_columns_keep_the_masking_properties(
    bundle: PolicyBundle, codes: frozenset[str], pin: Level, ctx: UseContext, form: Form
) -> None:
    grade = ColumnGrade(
        source="s", table="t", column="c", elements=tuple(sorted(codes)), level=pin, reason="r"
    )
    raw = column_level(bundle, grade, dataclasses.replace(ctx, form=Form.RAW))
    treated = column_level(bundle, grade, dataclasses.replace(ctx, form=form))
    unverified = column_level(bundle, grade, dataclasses.replace(ctx, form=form, verified=False))
    raw_unverified = column_level(
        bundle, grade, dataclasses.replace(ctx, form=Form.RAW, verified=False)
    )
    assert treated.level <= raw.level
    assert unverified.level >= raw_unverified.level
    assert raw.base == pin
