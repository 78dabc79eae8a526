"""A masking job verifies what it writes: each table's masked rows are checked before they
are swapped in (residual identifiers, free text included, and k-anonymity over the
quasi-identifiers the policy's elements name), and a table that fails is not released.
Rows whose quasi-identifiers fewer than k rows share are suppressed first, when the policy says
so (``masking.small_classes``); the release event counts them.

The quasi-identifier and replaced sets come from the plan (``MaskPlan.quasi_columns`` and
``replaced_columns``), never from the user. An approver may release a refused table; the
release event then names the approver with the full sets the verdict was made on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypedDict

import polars as pl

from medshield.elements.levels import Level
from medshield.ledger import Event
from medshield.mask.plan import MaskPlan
from medshield.mask.privacy import suppress_small_classes
from medshield.mask.verify import VerificationReport, release_event, verify_release
from medshield.policy import PolicyBundle


class LineageFacts(TypedDict):
    elements: tuple[str, ...]
    level: Level
    policy_version: str
    released: bool


@dataclass(frozen=True)
class Verdict:
    released: bool
    event: Event  # mask.release
    report: VerificationReport
    frame: pl.DataFrame  # the rows to release (small classes suppressed)
    suppressed: int = 0
    elements: tuple[str, ...] = ()  # what the release holds: elements of unsuppressed columns

    @property
    def lineage(self) -> LineageFacts:
        """What the table's lineage step carries: elements, level and policy version."""
        after = self.report.level_after
        return {
            "elements": self.elements,
            "level": after.level,
            "policy_version": after.policy_version,
            "released": self.released,
        }


@dataclass
class ReleaseCheck:
    """Called by the engine with each table's masked rows; says whether it may be released."""

    plans: Mapping[str, MaskPlan]
    bundle: PolicyBundle
    source: str
    actor: str
    approved_by: str | None = None
    verdicts: dict[str, Verdict] = field(default_factory=dict)

    def __call__(self, table: str, frame: pl.DataFrame) -> Verdict:
        plan = self.plans[table]
        quasi = [c for c in plan.quasi_columns() if c in frame.columns]
        suppressed = 0
        if quasi and self.bundle.masking.small_classes == "suppress":
            k = self.bundle.meta.privacy.k_anonymity
            frame, suppressed = suppress_small_classes(frame, quasi, k)
        report = verify_release(
            frame,
            self.bundle,
            quasi=quasi,
            elements=[c.element for c in plan.columns if c.element],
            context=plan.context,
            table=table,
            replaced=plan.replaced_columns(),
            kept=plan.kept_columns(),
        )
        event = release_event(
            report,
            actor=self.actor,
            source=self.source,
            quasi=quasi,
            plan_digest=plan.digest,
            approved_by=self.approved_by if not report.verified else None,
        )
        event.detail["suppressed_rows"] = suppressed
        released = report.verified or self.approved_by is not None
        held = tuple(
            sorted({c.element for c in plan.columns if c.element and c.operator != "suppress"})
        )
        verdict = Verdict(released, event, report, frame, suppressed, held)
        self.verdicts[table] = verdict
        return verdict

    def refused(self) -> dict[str, VerificationReport]:
        """Tables not released, with their reports."""
        return {t: v.report for t, v in self.verdicts.items() if not v.released}
