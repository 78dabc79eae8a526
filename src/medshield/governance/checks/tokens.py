"""Stale or over-broad access tokens, from ``token.issued`` and ``token.revoked`` events.

A token event names the token in ``detail.token``, its APIs in ``detail.apis`` and its end in
``detail.expires_at``. Stale: still unrevoked after ``checks.token_max_days``. Over-broad: valid
for every API (``*``) or for longer than ``checks.token_max_days``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import ClassVar

from medshield.governance.checks.base import Finding, LoopContext


class TokenCheck:
    name: ClassVar[str] = "stale_tokens"
    zh: ClassVar[str] = "过期或范围过宽的令牌"
    suggestion: ClassVar[str] = "收紧令牌的接口范围与有效期上限"

    def run(self, ctx: LoopContext) -> list[Finding]:
        limit = timedelta(days=ctx.bundle.governance.checks.token_max_days)
        revoked = {
            r.event.detail.get("token") for r in ctx.ledger.records(action_prefix="token.revoked")
        }
        found = []
        for r in ctx.ledger.records(action_prefix="token.issued"):
            token = str(r.event.detail.get("token", r.seq))
            if token in revoked:
                continue
            problems = []
            if ctx.now - r.at > limit:
                problems.append(f"issued {(ctx.now - r.at).days} days ago and never revoked")
            if "*" in r.event.detail.get("apis", []):
                problems.append("valid for every API")
            until = r.event.detail.get("expires_at")
            if until and datetime.fromisoformat(str(until)) - r.at > limit:
                problems.append("valid longer than the policy allows")
            if problems:
                found.append(Finding(self.name, token, 1, "; ".join(problems), "medium",
                                     {"seq": r.seq}))  # fmt: skip
        return found
