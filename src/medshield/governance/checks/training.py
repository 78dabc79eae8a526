"""Missing training records: members of the roles that must train, without a
``training.recorded`` event in ``checks.training_days``."""

from __future__ import annotations

from typing import ClassVar

from medshield.governance.checks.base import Finding, LoopContext


class TrainingCheck:
    name: ClassVar[str] = "missing_training"
    zh: ClassVar[str] = "培训记录缺失"
    suggestion: ClassVar[str] = "补充年度数据安全培训并纳入考核"

    def run(self, ctx: LoopContext) -> list[Finding]:
        settings = ctx.bundle.governance.checks
        trained = {str(r.event.detail.get("member"))
                   for r in ctx.recent("training.recorded", settings.training_days)}  # fmt: skip
        return [
            Finding(self.name, m.id, 1, f"{m.id} has no training record in "
                    f"{settings.training_days} days", "low")
            for m in ctx.bundle.governance.members
            if set(m.roles) & set(settings.training_roles) and m.id not in trained
        ]  # fmt: skip
