"""The masking gate: a ``MaskingGrant`` is what every masking plan is built from.

Only ``grant_masking`` makes a grant, and only when ``decide_masking`` allows the context, so
no masking entry point (dynamic records, static and file jobs, plans, aggregate releases) can
plan anything for a context the policy refuses.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from medshield.errors import MaskingRefusedError
from medshield.policy.bundle import PolicyBundle
from medshield.policy.context import UseContext
from medshield.policy.decision import Decision, decide_masking
from medshield.policy.schema import Role

_SEAL = object()


@dataclass(frozen=True)
class MaskingGrant:
    """The gate's yes: the context, its role and the decision, under one policy version."""

    context: UseContext
    role: Role
    decision: Decision
    seal: object = field(repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.seal is not _SEAL:
            raise MaskingRefusedError("a masking grant comes from grant_masking only")

    @property
    def policy_version(self) -> str:
        return self.decision.policy_version

    def check(self, bundle: PolicyBundle) -> None:
        """Refuse a grant of another policy version than ``bundle``'s."""
        if self.policy_version != bundle.version:
            raise MaskingRefusedError(
                "the masking grant was given under another policy version",
                where=f"policy {bundle.short_version}",
            )


_GRANTS: dict[tuple[str, UseContext], MaskingGrant] = {}
GRANTS_KEPT = 1024  # the cache starts over when full


def grant_masking(bundle: PolicyBundle, context: UseContext) -> MaskingGrant:
    """The grant to mask for ``context``, or ``MaskingRefusedError`` with the policy's reason.

    A grant is kept per policy version and context, all the decision depends on; a refusal is
    decided again each time."""
    key = (bundle.version, context)
    found = _GRANTS.get(key)
    if found is not None:
        return found
    decision = decide_masking(bundle, context)
    role = bundle.role(context.role) if context.role else None
    if not decision.allowed or role is None:
        raise MaskingRefusedError(
            "masking refused: " + "; ".join(decision.reasons),
            where=f"role {context.role or '-'}, scenario {context.scenario or '-'}",
        )
    grant = MaskingGrant(context, role, decision, _SEAL)
    if len(_GRANTS) >= GRANTS_KEPT:
        _GRANTS.clear()
    _GRANTS[key] = grant
    return grant
