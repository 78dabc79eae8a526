"""Stale or over-broad access tokens, from ``token.issued`` and ``token.revoked`` events and
the gateway's own ``gateway.token.issue``, ``gateway.token.rotate`` (which also ends the token it
``replaces``) and ``gateway.token.revoke``.

A token event names the token in ``detail.token`` (the gateway's: ``detail.token_id``), its APIs in ``detail.apis`` and its end in
``detail.expires_at``. Stale: still unrevoked after ``checks.token_max_days``. Over-broad: valid
for every API (``*``) or for longer than ``checks.token_max_days``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import ClassVar

from medshield.governance.checks.base import Finding, LoopContext

ISSUED = ("token.issued", "gateway.token.issue", "gateway.token.rotate")
REVOKED = ("token.revoked", "gateway.token.revoke")


def _token(detail: dict[str, object]) -> object:
    return detail.get("token") or detail.get("token_id")


class TokenCheck:
    name: ClassVar[str] = "stale_tokens"
    zh: ClassVar[str] = "过期或范围过宽的令牌"
    suggestion: ClassVar[str] = "收紧令牌的接口范围与有效期上限"

    def run(self, ctx: LoopContext) -> list[Finding]:
        limit = timedelta(days=ctx.bundle.governance.checks.token_max_days)
        events = [r for prefix in ("token.", "gateway.token.")
                  for r in ctx.ledger.records(action_prefix=prefix)]  # fmt: skip
        revoked = {_token(r.event.detail) for r in events if r.event.action in REVOKED}
        revoked |= {r.event.detail.get("replaces") for r in events if r.event.action in ISSUED}
        found = []
        for r in sorted((r for r in events if r.event.action in ISSUED), key=lambda r: r.seq):
            token = str(_token(r.event.detail) or r.seq)
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
