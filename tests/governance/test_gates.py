"""A masking dictionary batch is imported only under an approval that covers it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from medshield.errors import ApprovalError, ApprovalExpiredError, UnknownNameError
from medshield.governance import Admin, vote
from medshield.governance.gates import batch_digest, import_approved_batch
from medshield.ledger import Ledger
from medshield.mask.dictionary_store import list_batches
from medshield.policy import PolicyBundle
from medshield.store.db import connect, upgrade


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    path = tmp_path / "terms-2026q1.csv"
    path.write_text("kind,term,code\nterm,癌症,C80\ndrug,新药甲,通用名甲\n", encoding="utf-8")
    return path


def _request(ledger: Ledger, bundle: PolicyBundle, batch: Path, now: datetime | None = None) -> int:
    req = Admin(ledger, bundle, "secadmin-01").request(
        "dictionary_batch", {"digest": batch_digest(batch)}, "2026年第一季度术语更新", now=now
    )
    return req.id


def test_an_approved_batch_is_imported_once_with_its_approval_in_the_ledger(
    ledger: Ledger, bundle: PolicyBundle, batch: Path, sqlite_url: str
) -> None:
    upgrade(sqlite_url)
    engine = connect(sqlite_url)
    request = _request(ledger, bundle, batch)
    vote(ledger, bundle, "office-01", request, approve=True)
    info = import_approved_batch(ledger, batch, request, engine=engine)
    assert (info.batch, info.approved_by, info.reason) == (1, "office-01", "2026年第一季度术语更新")
    [event] = [r.event for r in ledger.records(action_prefix="mask.dictionary.batch")]
    assert event.detail == {"batch": 1, "entries": 2, "approval": request}
    with pytest.raises(ApprovalError, match="already used for batch 1"):
        import_approved_batch(ledger, batch, request, engine=engine)
    assert [b.batch for b in list_batches(engine)] == [1]
    engine.dispose()


def test_no_approval_no_batch(
    ledger: Ledger, bundle: PolicyBundle, batch: Path, sqlite_url: str
) -> None:
    upgrade(sqlite_url)
    engine = connect(sqlite_url)
    with pytest.raises(UnknownNameError):
        import_approved_batch(ledger, batch, 999, engine=engine)
    pending = _request(ledger, bundle, batch)
    with pytest.raises(ApprovalError, match="pending, not approved"):
        import_approved_batch(ledger, batch, pending, engine=engine)
    rejected = _request(ledger, bundle, batch)
    vote(ledger, bundle, "office-01", rejected, approve=False, reason="术语编码未校对")
    with pytest.raises(ApprovalError, match="rejected, not approved"):
        import_approved_batch(ledger, batch, rejected, engine=engine)
    other_kind = Admin(ledger, bundle, "office-01").request("level_change", {"column": "x"})
    with pytest.raises(ApprovalError, match="level_change request"):
        import_approved_batch(ledger, batch, other_kind.id, engine=engine)
    assert list_batches(engine) == []
    assert list(ledger.records(action_prefix="mask.dictionary.batch")) == []
    engine.dispose()


def test_an_expired_request_covers_nothing(
    ledger: Ledger, bundle: PolicyBundle, batch: Path, sqlite_url: str
) -> None:
    upgrade(sqlite_url)
    engine = connect(sqlite_url)
    start = datetime.now(UTC) - timedelta(days=30)
    request = _request(ledger, bundle, batch, now=start)
    with pytest.raises(ApprovalExpiredError) as info:
        import_approved_batch(ledger, batch, request, engine=engine)
    assert info.value.code == "MS943"
    assert list_batches(engine) == []
    engine.dispose()


def test_a_request_must_name_the_batch_digest(ledger: Ledger, bundle: PolicyBundle) -> None:
    with pytest.raises(ApprovalError, match="must state digest"):
        Admin(ledger, bundle, "secadmin-01").request("dictionary_batch", {"batch": "1"})
