"""Overdue risk reviews: a risk not assessed for ``risk.review_days``.

The Table 1 baseline counts from the first record of the ledger (when the platform started).
"""

from __future__ import annotations

from datetime import timedelta
from typing import ClassVar

from medshield.governance.checks.base import Finding, LoopContext
from medshield.risk import read_register


class RiskReviewCheck:
    name: ClassVar[str] = "overdue_risk_reviews"
    zh: ClassVar[str] = "风险复评逾期"
    suggestion: ClassVar[str] = "安排风险复评并明确复评周期"

    def run(self, ctx: LoopContext) -> list[Finding]:
        first = next(iter(ctx.ledger.records(start_seq=1, end_seq=1)), None)
        if first is None:
            return []
        limit = timedelta(days=ctx.bundle.governance.risk.review_days)
        found = []
        for risk in read_register(ctx.ledger).values():
            since = risk.assessed_at or first.at
            if ctx.now - since > limit:
                days = (ctx.now - since).days
                found.append(Finding(self.name, risk.id, days,
                                     f"{risk.id} {risk.point} not reviewed for {days} days",
                                     "medium"))  # fmt: skip
        return found
