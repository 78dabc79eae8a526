"""Grading: the base level of a column from the level calculus, with its trace.

A column's level is the level of its element under the policy in force (the highest level wins
across elements, so a column that holds several graded as the highest). A column with no
recognised element is graded ``normal``: unknown content is never published as ``public``.
A manual override by a functional department replaces the element or the level and says why.
"""

from __future__ import annotations

from dataclasses import dataclass

from medshield.elements.levels import Level
from medshield.errors import UnknownNameError
from medshield.policy import PolicyBundle, base_level

UNCLASSIFIED_LEVEL = Level.NORMAL


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
        level, top = base_level(bundle, codes)
        element = top
        category = bundle.catalogue[top].category if top else None
        trace = f"{top} {bundle.catalogue[top].zh} -> {level} (policy {bundle.short_version})"
        if override_element:
            trace = f"override element by {override_by}: {trace}"
    else:
        level, element, category = UNCLASSIFIED_LEVEL, None, None
        trace = f"no element recognised -> {level} (default for unclassified)"
    if override_level:
        manual = Level.parse(override_level)
        trace = f"{trace}; override level by {override_by} -> {manual}"
        level = manual
    return Grade(element, category, level, trace)
