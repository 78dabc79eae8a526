from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from medshield.errors import ApprovalError, ApprovalExpiredError, PolicyNotApprovedError
from medshield.governance import (
    Admin,
    active_version,
    get_request,
    require_active,
    require_approved,
    version_history,
    vote,
)
from medshield.ledger import Ledger
from medshield.policy import PolicyBundle, load_bundle


def test_publication_needs_office_then_two_different_committee_members(
    ledger: Ledger, bundle: PolicyBundle
) -> None:
    req = Admin(ledger, bundle, "office-01").request(
        "publish_external", {"dataset": "2026年门诊统计", "where": "医联体网站"}
    )
    with pytest.raises(ApprovalError, match="requester"):
        vote(ledger, bundle, "office-01", req.id, approve=True)
    with pytest.raises(ApprovalError, match="needs one of security_officer"):
        vote(ledger, bundle, "committee-01", req.id, approve=True)  # not the committee's turn
    vote(ledger, bundle, "office-02", req.id, approve=True)
    vote(ledger, bundle, "committee-01", req.id, approve=True)
    with pytest.raises(ApprovalError, match="another person"):
        vote(ledger, bundle, "committee-01", req.id, approve=True)  # two-person rule
    assert get_request(ledger, req.id).status == "pending"
    done = vote(ledger, bundle, "committee-02", req.id, approve=True)
    assert done.status == "approved"
    assert [v.actor for v in done.votes] == ["office-02", "committee-01", "committee-02"]
    assert require_approved(ledger, req.id, "publish_external").id == req.id
    refused = [
        (r.event.actor, r.event.outcome) for r in ledger.records(action_prefix="approval.refused")
    ]
    assert refused == [("office-01", "deny"), ("committee-01", "deny"), ("committee-01", "deny")]
    with pytest.raises(ApprovalError):
        vote(ledger, bundle, "committee-03", req.id, approve=True)


def test_rejection_needs_and_keeps_its_reason(ledger: Ledger, bundle: PolicyBundle) -> None:
    req = Admin(ledger, bundle, "secadmin-01").request("dictionary_batch", {"digest": "sha256:50"})
    with pytest.raises(ApprovalError, match="reason"):
        vote(ledger, bundle, "office-01", req.id, approve=False)
    done = vote(ledger, bundle, "office-01", req.id, approve=False, reason="术语编码未校对")
    assert done.status == "rejected" and done.votes[0].reason == "术语编码未校对"
    [decided] = ledger.records(action_prefix="approval.decided")
    assert decided.event.detail["reason"] == "术语编码未校对"
    with pytest.raises(ApprovalError, match="rejected"):
        require_approved(ledger, req.id, "dictionary_batch")


def test_requests_expire(ledger: Ledger, bundle: PolicyBundle) -> None:
    start = datetime.now(UTC)
    req = Admin(ledger, bundle, "doctor-01").request(
        "data_access",
        {"scope": "慢病随访数据", "purpose": "糖尿病随访", "until": "2027-01-01T00:00:00+00:00"},
        now=start,
    )
    late = start + timedelta(hours=168, seconds=1)
    with pytest.raises(ApprovalExpiredError) as info:
        vote(ledger, bundle, "office-01", req.id, approve=True, now=late)
    assert info.value.code == "MS943"
    assert get_request(ledger, req.id).status == "expired"
    with pytest.raises(ApprovalExpiredError):
        require_approved(ledger, req.id, "data_access")


def test_an_approved_access_period_ends(ledger: Ledger, bundle: PolicyBundle) -> None:
    now = datetime.now(UTC)
    until = (now + timedelta(days=30)).date().isoformat()  # a date: taken as UTC
    req = Admin(ledger, bundle, "researcher-01").request(
        "data_access", {"scope": "临床路径", "purpose": "路径优化研究", "until": until}, now=now
    )
    vote(ledger, bundle, "office-01", req.id, approve=True, now=now)
    vote(ledger, bundle, "committee-01", req.id, approve=True, now=now)
    assert require_approved(ledger, req.id, "data_access", now=now).status == "approved"
    with pytest.raises(ApprovalExpiredError):
        require_approved(ledger, req.id, "data_access", now=now + timedelta(days=31))


def test_a_data_access_application_states_scope_purpose_and_period(
    ledger: Ledger, bundle: PolicyBundle
) -> None:
    admin = Admin(ledger, bundle, "researcher-01")
    with pytest.raises(ApprovalError, match="purpose, until"):
        admin.request("data_access", {"scope": "临床路径"})
    with pytest.raises(ApprovalError, match="ISO date"):
        admin.request("data_access", {"scope": "临床路径", "purpose": "研究", "until": "明年"})
    assert [r.event.action for r in ledger.records()] == ["admin.approval.request"] * 2


def test_a_role_the_workflow_does_not_name_may_not_request(
    ledger: Ledger, bundle: PolicyBundle
) -> None:
    with pytest.raises(ApprovalError):
        Admin(ledger, bundle, "committee-01").request("dictionary_batch", {"digest": "sha256:01"})


def test_a_policy_version_is_active_only_once_approved(
    ledger: Ledger, bundle: PolicyBundle, tmp_path
) -> None:
    import shutil

    folder = tmp_path / "policy"
    shutil.copytree(bundle.root, folder)
    gov = folder / "governance.yaml"
    gov.write_text(gov.read_text(encoding="utf-8").replace("review_days: 180", "review_days: 90"),
                   encoding="utf-8")  # fmt: skip
    new = load_bundle(folder)
    assert new.version != bundle.version
    req = Admin(ledger, bundle, "office-01").propose_policy(new, reason="风险复评周期改为90天")
    with pytest.raises(PolicyNotApprovedError):
        require_active(ledger, new)
    vote(ledger, bundle, "office-02", req.id, approve=True)
    vote(ledger, bundle, "committee-01", req.id, approve=True)
    assert active_version(ledger) is None
    vote(ledger, bundle, "committee-02", req.id, approve=True)
    assert active_version(ledger) == new.version
    require_active(ledger, new)
    with pytest.raises(PolicyNotApprovedError):
        require_active(ledger, bundle)
    assert version_history(ledger)[0]["request"] == req.id


@pytest.mark.postgres
def test_approvals_read_back_on_postgresql(postgres_url: str, bundle: PolicyBundle) -> None:
    from medshield.ledger import open_ledger

    with open_ledger(postgres_url) as ledger:
        req = Admin(ledger, bundle, "office-01").request("level_change", {"column": "visits.phone"})
        vote(ledger, bundle, "office-02", req.id, approve=True)
        with pytest.raises(ApprovalError):
            vote(ledger, bundle, "office-02", req.id, approve=True)
        done = vote(ledger, bundle, "supervisor-01", req.id, approve=True)
        assert done.status == "approved"
        assert require_approved(ledger, req.id, "level_change").votes[-1].actor == "supervisor-01"
        assert ledger.verify().ok
