"""A token is issued only under an approved data access application, which bounds it (R3).

An application is a ``data_access`` approval request (``governance.approvals``); its subject
states the ``scope`` (scope names of the API catalogue, separated by commas, 、 or spaces), the
``purpose`` and the period (``until``), and may name the ``institution`` and a ``max_level``.
A token lies within its application when:

- the application is approved, not expired, and its period has not ended (``require_approved``);
- every scope of the token, and every scope an API of the token needs, is in the approved scope;
- its institution is the one applied for (when the application names one);
- its maximum level is at most the one applied for (when named);
- it expires no later than the approved period ends.

Anything else is refused with ``ApprovalError`` (MS942) or ``ApprovalExpiredError`` (MS943).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from medshield.elements.levels import Level
from medshield.errors import ApprovalError
from medshield.governance import ApprovalRequest, approved_until, require_approved
from medshield.ledger import Ledger
from medshield.policy.bundle import PolicyBundle

DATA_ACCESS = "data_access"
_SEPARATORS = re.compile(r"[\s,，、;；]+")


def approved_scopes(application: ApprovalRequest) -> frozenset[str]:
    """The scope names an application was approved for."""
    return frozenset(s for s in _SEPARATORS.split(str(application.subject.get("scope", ""))) if s)


def approved_application(
    ledger: Ledger, request_id: int, now: datetime | None = None
) -> ApprovalRequest:
    """The approved, current ``data_access`` application ``request_id`` (fail closed)."""
    return require_approved(ledger, request_id, DATA_ACCESS, now)


def check_within(
    application: ApprovalRequest,
    bundle: PolicyBundle,
    *,
    institution: str,
    apis: Iterable[str],
    scopes: Iterable[str],
    max_level: Level,
    expires_at: datetime,
) -> None:
    """ApprovalError unless a token of this grant lies within ``application``."""
    where = f"application {application.id}"
    if application.kind != DATA_ACCESS:
        raise ApprovalError(
            f"request {application.id} is not a data access application", where=where
        )
    allowed = approved_scopes(application)
    needed = set(scopes)
    catalogue = {a.id: a for a in bundle.apis}
    for api_id in apis:
        api = catalogue.get(api_id)
        needed.update(api.scopes if api is not None else ())
    outside = sorted(needed - allowed)
    if outside:
        raise ApprovalError(
            f"the token needs scope {', '.join(outside)}, outside the approved scope "
            f"({', '.join(sorted(allowed)) or 'none'})",
            where=where,
        )
    applied_for = str(application.subject.get("institution", "")).strip()
    if applied_for and applied_for != institution:
        raise ApprovalError(f"the application is for {applied_for}, not {institution}", where=where)
    ceiling = application.subject.get("max_level")
    if ceiling and max_level > Level.parse(str(ceiling)):
        raise ApprovalError(
            f"max_level {max_level.en} is above the approved {ceiling}", where=where
        )
    until = approved_until(application)
    if until is None or expires_at > until:
        raise ApprovalError(
            f"the token would expire {expires_at.isoformat(timespec='seconds')}, after the "
            f"approved period ends ({until.isoformat() if until else 'no period'})",
            where=where,
        )
