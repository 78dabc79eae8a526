"""A token is issued only under an approved data access application that bounds it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine

from medshield.errors import ApprovalError, ApprovalExpiredError
from medshield.governance import Admin, vote
from medshield.ledger import Ledger, open_ledger
from medshield.policy import PolicyBundle, load_bundle
from medshield.service.applications import approved_application
from medshield.service.tokens import TokenStore
from medshield.store.db import connect, upgrade

GRANT: dict[str, Any] = {
    "institution": "m1", "application": "his", "role": "doctor",
    "scenario": "collaborative_care", "max_level": "sensitive",
    "apis": {"patient.visits": ["*"]}, "scopes": ["clinical.read"],
}  # fmt: skip


@pytest.fixture(scope="module")
def bundle() -> PolicyBundle:
    return load_bundle()


@pytest.fixture
def engine(sqlite_url: str) -> Iterator[Engine]:
    upgrade(sqlite_url)
    engine = connect(sqlite_url)
    yield engine
    engine.dispose()


@pytest.fixture
def ledger(sqlite_url: str, engine: Engine) -> Iterator[Ledger]:
    with open_ledger(sqlite_url) as opened:
        yield opened


def _apply(
    ledger: Ledger, bundle: PolicyBundle, *, days: int = 30, approve: bool = True,
    now: datetime | None = None, **subject: str,
) -> int:  # fmt: skip
    until = (datetime.now(UTC) + timedelta(days=days)).isoformat()
    body = {"scope": "clinical.read、patient.read", "purpose": "糖尿病随访", "until": until}
    req = Admin(ledger, bundle, "researcher-01").request(
        "data_access", {**body, **subject}, now=now
    )
    if approve:
        vote(ledger, bundle, "office-01", req.id, approve=True, now=now)
        vote(ledger, bundle, "committee-01", req.id, approve=True, now=now)
    return req.id


def test_a_token_within_its_approved_application_is_issued(
    ledger: Ledger, bundle: PolicyBundle, engine: Engine
) -> None:
    application = approved_application(ledger, _apply(ledger, bundle, institution="m1"))
    issued = TokenStore(engine, bundle).issue(**GRANT, ttl_seconds=7 * 86400, approval=application)
    assert issued.info.scopes == frozenset({"clinical.read"})


def test_no_approved_application_no_token(ledger: Ledger, bundle: PolicyBundle) -> None:
    pending = _apply(ledger, bundle, approve=False)
    with pytest.raises(ApprovalError, match="pending, not approved"):
        approved_application(ledger, pending)
    rejected = _apply(ledger, bundle, approve=False)
    vote(ledger, bundle, "office-01", rejected, approve=False, reason="用途不明确")
    with pytest.raises(ApprovalError, match="rejected"):
        approved_application(ledger, rejected)
    publication = Admin(ledger, bundle, "office-01").request("publish_external", {"dataset": "x"})
    with pytest.raises(ApprovalError, match="publish_external request"):
        approved_application(ledger, publication.id)


def test_an_expired_request_or_an_ended_period_issues_nothing(
    ledger: Ledger, bundle: PolicyBundle
) -> None:
    long_ago = datetime.now(UTC) - timedelta(days=30)
    stale = _apply(ledger, bundle, approve=False, now=long_ago)
    with pytest.raises(ApprovalExpiredError):
        approved_application(ledger, stale)
    ended = _apply(ledger, bundle, days=-1, now=long_ago)  # approved, its period has passed
    with pytest.raises(ApprovalExpiredError, match="period"):
        approved_application(ledger, ended)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"scopes": ["clinical.read", "operation.read"]}, "operation.read, outside"),
        ({"apis": {"patient.prescriptions": ["*"]}}, "prescription.read, outside"),
        ({"institution": "m2"}, "for m1, not m2"),
        ({"max_level": "important"}, "above the approved sensitive"),
        ({"ttl_seconds": 31 * 86400}, "after the approved period ends"),
    ],
)
def test_the_application_bounds_the_token(
    ledger: Ledger, bundle: PolicyBundle, engine: Engine, change: dict[str, Any], message: str
) -> None:
    application = approved_application(
        ledger, _apply(ledger, bundle, institution="m1", max_level="sensitive")
    )
    store = TokenStore(engine, bundle)
    with pytest.raises(ApprovalError, match=message) as info:
        store.issue(**{**GRANT, **change}, approval=application)
    assert info.value.code == "MS942"
    assert store.list() == []


def test_a_rotation_never_outlives_the_token_it_replaces(
    ledger: Ledger, bundle: PolicyBundle, engine: Engine
) -> None:
    application = approved_application(ledger, _apply(ledger, bundle))
    store = TokenStore(engine, bundle)
    old = store.issue(**GRANT, ttl_seconds=3600, approval=application)
    new = store.rotate(old.info.token_id)
    assert new.info.expires_at == old.info.expires_at
    with pytest.raises(ApprovalError, match="outlive"):
        store.rotate(new.info.token_id, ttl_seconds=7200)
