"""Policy versions: a new version becomes active only once its ``policy_change`` is approved.

The active version is read from the ledger: the last ``policy.activated`` event. Proposing a
version opens a ``policy_change`` approval request whose subject is the version (the content hash
of the bundle) and, when the change comes from the closed loop, the findings and the change
proposal behind it. The last approval appends ``policy.activated``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from medshield.errors import PolicyNotApprovedError
from medshield.governance.approvals import ApprovalRequest, on_approved, request_approval
from medshield.ledger import Event, Ledger
from medshield.policy import PolicyBundle

ACTIVATED = "policy.activated"
KIND = "policy_change"


def propose_version(
    ledger: Ledger,
    current: PolicyBundle,
    new: PolicyBundle,
    actor: str,
    *,
    reason: str,
    change: int | None = None,
    now: datetime | None = None,
) -> ApprovalRequest:
    """Ask for ``new`` to become the active policy (approved under the ``current`` policy)."""
    subject: dict[str, Any] = {
        "version": new.version,
        "previous": active_version(ledger) or current.version,
        "name": new.meta.name,
        "folder": str(new.root),
    }
    if change is not None:
        subject["change"] = change
    return request_approval(ledger, current, actor, KIND, subject, reason=reason, now=now)


@on_approved(KIND)
def _activate(ledger: Ledger, request: ApprovalRequest) -> None:
    ledger.append(
        Event(
            action=ACTIVATED,
            actor="medshield-approvals",
            policy_version=str(request.subject["version"]),
            detail={"request": request.id, "version": request.subject["version"],
                    "previous": request.subject.get("previous"),
                    "change": request.subject.get("change")},
        )
    )  # fmt: skip


def active_version(ledger: Ledger) -> str | None:
    """The version the last approved policy change made active (None: none yet)."""
    version = None
    for record in ledger.records(action_prefix=ACTIVATED):
        version = str(record.event.detail["version"])
    return version


def version_history(ledger: Ledger) -> list[dict[str, object]]:
    return [
        {"seq": r.seq, "at": r.at.isoformat(), **r.event.detail}
        for r in ledger.records(action_prefix=ACTIVATED)
    ]


def require_active(ledger: Ledger, bundle: PolicyBundle) -> None:
    """PolicyNotApprovedError unless ``bundle`` is the active version (fail closed)."""
    active = active_version(ledger)
    if active != bundle.version:
        raise PolicyNotApprovedError(
            f"policy version {bundle.short_version} is not the approved active version"
            f" ({active.split(':', 1)[1][:12] if active else 'none yet'})",
            where=str(bundle.root),
        )
