"""Grading: the base level of a column from the level calculus, with its trace.

A column's level is the level of its element under the policy in force (the highest level wins
across elements, so a column that holds several graded as the highest). A column with no
recognised element has the calculus's lowest level, ``public``, and is listed for review when the
classifier was unsure.
A manual override by a functional department replaces the element or the level and says why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from medshield.elements.levels import Level
from medshield.errors import UnknownNameError
from medshield.policy import PolicyBundle, base_level

UNCLASSIFIED_LEVEL = Level.PUBLIC
FREE_TEXT_FLOOR = Level.IMPORTANT  # free text not shown free of identifiers


@dataclass(frozen=True)
class Grade:
    element: str | None
    category: str | None
    level: Level
    trace: str


def grade(
    bundle: PolicyBundle,
    elements: tuple[str, ...],
    *,
    may_embed: bool = False,
    override_element: str | None = None,
    override_level: str | None = None,
    override_by: str | None = None,
) -> Grade:
    """The grade of a column holding ``elements`` (the classifier's), with overrides applied."""
    codes = (override_element,) if override_element else tuple(e for e in elements if e)
    for code in codes:
        if code not in bundle.catalogue:
            raise UnknownNameError(f"unknown data element {code!r}", where="catalog")
    if codes:
        level, base = base_level(bundle, codes)
        element = codes[0]
        top = base or element
        category = bundle.catalogue[element].category
        head = f"{element} {bundle.catalogue[element].zh}"
        others = sorted(set(codes) - {element})
        if others:  # identifiers embedded in it: the highest level wins
            head += f" + {', '.join(others)}: highest {top} {bundle.catalogue[top].zh}"
        trace = f"{head} -> {level} (policy {bundle.short_version})"
        if override_element:
            trace = f"override element by {override_by}: {trace}"
    else:
        level, element, category = UNCLASSIFIED_LEVEL, None, None
        trace = f"no element recognised -> {level}"
    if may_embed and not override_element and level < FREE_TEXT_FLOOR:
        level = FREE_TEXT_FLOOR
        trace = f"{trace}; free text may carry identifiers -> {level}"
    if override_level:
        manual = Level.parse(override_level)
        trace = f"{trace}; override level by {override_by} -> {manual}"
        level = manual
    return Grade(element, category, level, trace)


def stored_elements(evidence: Mapping[str, Any] | None) -> tuple[str, ...]:
    """The classifier's elements kept in a catalogue column's evidence (own and embedded)."""
    ev = evidence or {}
    own = ev.get("classified")
    return tuple(e for e in (own, *ev.get("embedded", ())) if e)


def stored_may_embed(evidence: Mapping[str, Any] | None) -> bool:
    return bool((evidence or {}).get("may_embed"))
