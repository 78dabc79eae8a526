"""A data access application filed and approved the way the organisation does it, for the tour
(and the tests and benchmarks that start a gateway): a doctor applies with scope, purpose and
period, the security office and then a committee member approve. Tokens are issued under it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from medshield.governance import Admin, vote
from medshield.ledger import Ledger
from medshield.policy import PolicyBundle


def file_approved_application(
    ledger: Ledger,
    bundle: PolicyBundle,
    scopes: tuple[str, ...],
    *,
    purpose: str = "医联体协同诊疗",
    days: int = 30,
    institution: str | None = None,
) -> int:
    """The request id of a ``data_access`` application for ``scopes``, approved."""
    until = (datetime.now(UTC) + timedelta(days=days)).isoformat(timespec="seconds")
    subject = {"scope": ",".join(scopes), "purpose": purpose, "until": until}
    if institution is not None:
        subject["institution"] = institution
    request = Admin(ledger, bundle, "doctor-01").request("data_access", subject, purpose)
    vote(ledger, bundle, "office-01", request.id, approve=True)
    vote(ledger, bundle, "committee-01", request.id, approve=True)
    return request.id
