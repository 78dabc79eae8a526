"""No indexed predicate on a large table: the statement scans it (the short tier's deny)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from medshield.audit.rules.base import RuleContext
from medshield.audit.sql.analysis import Analysis
from medshield.audit.sql.tiers import tier_of


class FullScanRule:
    name: ClassVar[str] = "full_scan"

    def check(self, analysis: Analysis, context: RuleContext) -> Iterator[str]:
        tier = tier_of(analysis, context.catalogue, context.settings)
        if tier.scans_large:
            yield tier.reason
