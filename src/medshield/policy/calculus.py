"""The level calculus: base level of the elements present, moved by named context rules.

Base level: the highest level among the elements present ("highest wins", 就高从严).
Effective level: the base moved by each rule of ``levels.yaml`` whose condition matches the use,
in policy order, clamped to the scale after every step. Every step is kept in the trace.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from medshield.elements.levels import Level
from medshield.errors import UnknownNameError
from medshield.policy.bundle import PolicyBundle
from medshield.policy.context import Form, UseContext
from medshield.policy.schema import ColumnGrade, LevelRule


@dataclass(frozen=True)
class TraceStep:
    rule: str
    before: Level
    after: Level
    note: str

    def render(self) -> str:
        return self.note


@dataclass(frozen=True)
class LevelResult:
    """An effective level with how it came to be and under which policy version."""

    level: Level
    base: Level
    base_element: str | None
    steps: tuple[TraceStep, ...]
    policy_version: str

    @property
    def trace(self) -> str:
        head = f"{self.base_element or 'no element'} -> {self.base}"
        return "; ".join([head, *(step.render() for step in self.steps)])


def base_level(bundle: PolicyBundle, element_codes: Iterable[str]) -> tuple[Level, str | None]:
    """The highest level among ``element_codes`` and the element that sets it."""
    best: tuple[Level, str | None] = (Level.PUBLIC, None)
    for code in sorted(set(element_codes)):
        level = bundle.catalogue[code].level
        if best[1] is None or level > best[0]:
            best = (level, code)
    return best


def _matches(rule: LevelRule, bundle: PolicyBundle, codes: frozenset[str], ctx: UseContext) -> bool:
    w = rule.when
    if w.form and ctx.form not in w.form:
        return False
    if w.stage and ctx.stage not in w.stage:
        return False
    if w.scope and ctx.scope not in w.scope:
        return False
    if w.risk_band and ctx.risk_band not in w.risk_band:
        return False
    if w.regulation is not None and w.regulation not in (
        bundle.active_regulations() | ctx.regulations
    ):
        return False
    if w.elements and not codes & set(w.elements):
        return False
    return not (
        w.categories and not {bundle.catalogue[c].category for c in codes} & set(w.categories)
    )


def _apply(rule: LevelRule, level: Level) -> Level:
    moved = level.shifted(rule.shift)
    if rule.floor is not None and moved < rule.floor:
        moved = rule.floor
    if rule.ceiling is not None and moved > rule.ceiling:
        moved = rule.ceiling
    return moved


def _describe(rule: LevelRule) -> str:
    parts = []
    if rule.shift:
        parts.append(f"{rule.shift:+d}")
    if rule.floor is not None:
        parts.append(f"at least {rule.floor}")
    if rule.ceiling is not None:
        parts.append(f"at most {rule.ceiling}")
    return f"{rule.name} {' '.join(parts)}"


def effective_level(
    bundle: PolicyBundle, element_codes: Iterable[str], context: UseContext | None = None
) -> LevelResult:
    """The level of data holding ``element_codes`` when used as ``context`` says.

    Each element is moved by the rules on its own and the highest result wins, so data holding
    several elements is never below any one of them in the same context (a rule conditioned on
    one element cannot lower its neighbours). The trace is that of the winning element.
    """
    codes = frozenset(element_codes)
    for code in codes:
        if code not in bundle.catalogue:
            raise UnknownNameError(f"unknown data element {code!r}")
    ctx = context or UseContext()
    if not codes:
        return _unverified_as_raw(bundle, codes, ctx)
    best: LevelResult | None = None
    for code in sorted(codes):
        result = _unverified_as_raw(bundle, frozenset((code,)), ctx)
        if best is None or (result.level, result.base) > (best.level, best.base):
            best = result
    assert best is not None
    return best


def column_level(
    bundle: PolicyBundle, grade: ColumnGrade, context: UseContext | None = None
) -> LevelResult:
    """The level of one graded column (``columns.yaml``) when used as ``context`` says.

    Without a pinned level this is the level of the column's elements. A pinned level takes the
    place of the base level; the context then moves it by the same rules, matched against the
    column's elements.
    """
    if grade.level is None:
        return effective_level(bundle, grade.elements, context)
    for code in grade.elements:
        if code not in bundle.catalogue:
            raise UnknownNameError(f"unknown data element {code!r}")
    pinned = (grade.level, f"pinned {'.'.join(grade.key)}")
    return _unverified_as_raw(bundle, frozenset(grade.elements), context or UseContext(), pinned)


Pinned = tuple[Level, str] | None


def _unverified_as_raw(
    bundle: PolicyBundle, codes: frozenset[str], ctx: UseContext, pinned: Pinned = None
) -> LevelResult:
    """Masked, pseudonymised or aggregated output that is not verified keeps the raw level."""
    result = _moved(bundle, codes, ctx, pinned)
    if ctx.form is Form.RAW or ctx.verified:
        return result
    raw = _moved(bundle, codes, replace(ctx, form=Form.RAW), pinned)
    if raw.level <= result.level:
        return result
    note = f"{ctx.form} output not verified: kept at the raw level -> {raw.level}"
    step = TraceStep("unverified_output", result.level, raw.level, note)
    return replace(result, level=raw.level, steps=(*result.steps, step))


def _moved(
    bundle: PolicyBundle, codes: frozenset[str], ctx: UseContext, pinned: Pinned = None
) -> LevelResult:
    base, base_element = pinned if pinned is not None else base_level(bundle, codes)
    level = base
    steps: list[TraceStep] = []
    for rule in bundle.levels.rules:
        if not _matches(rule, bundle, codes, ctx):
            continue
        if rule.requires_verified and not ctx.verified:
            steps.append(
                TraceStep(rule.name, level, level, f"{_describe(rule)} skipped (unverified)")
            )
            continue
        after = _apply(rule, level)
        note = _describe(rule) + (" (verified)" if rule.requires_verified else "")
        steps.append(TraceStep(rule.name, level, after, f"{note} -> {after}"))
        level = after
    return LevelResult(level, base, base_element, tuple(steps), bundle.version)
