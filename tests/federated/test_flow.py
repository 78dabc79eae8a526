"""The request flow: mock preview, approvals, run, noised release, budget and its exhaustion."""

from __future__ import annotations

from pathlib import Path

import pytest

from medshield.errors import ApprovalMissingError, PrivacyBudgetExhaustedError
from medshield.federated import FederatedRequest, Federation, Hub, LedgerApprovals, RequestFlow
from medshield.federated.local import LocalDatabase
from medshield.ledger import Ledger, open_ledger
from medshield.synth.manifest import AllianceManifest

from .conftest import NODES


def _ledger(tmp_path: Path) -> Ledger:
    return open_ledger(
        f"sqlite:///{tmp_path / 'hub.db'}",
        hash_alg="sha256",
        checkpoint_every=1000,
        checkpoint_seconds=60,
        replicas=(),
    )


def _mock(mock_alliance: Path) -> list[LocalDatabase]:
    manifest = AllianceManifest.read(mock_alliance)
    return [
        LocalDatabase.open(manifest.databases[n], manifest.styles[n], manifest.tables[n])
        for n in NODES
    ]


def _approve_all(gate: LedgerApprovals, request_id: str) -> None:
    for node in NODES:
        gate.approve(request_id, f"owner-{node}", "owner", node)
    gate.approve(request_id, "ethics_committee", "committee")


def test_submit_approve_run_release_is_recorded(
    hub: Hub, federation: Federation, mock_alliance: Path, tmp_path: Path
) -> None:
    ledger = _ledger(tmp_path)
    gate = LedgerApprovals(ledger, hub.bundle.federated.committee)
    flow = RequestFlow(hub, ledger, gate)
    request = FederatedRequest(requester="dr-li", template="patient_age_mean", purpose="年龄研究")
    preview = flow.submit(request, _mock(mock_alliance))
    assert preview.kind == "mean" and preview.value is not None
    with pytest.raises(ApprovalMissingError, match="owner:h1"):
        flow.run(request.id)
    gate.approve(request.id, "owner-h1", "owner", "h1")
    with pytest.raises(ApprovalMissingError, match="committee:ethics_committee"):
        flow.run(request.id)
    _approve_all(gate, request.id)
    outcome = flow.run(request.id)
    assert outcome.release.epsilon == 1.0
    releases = [r.event for r in ledger.records(action_prefix="federated.release")]
    assert [e.detail["request_id"] for e in releases] == [request.id]
    assert releases[0].detail["released"]["value"] == outcome.release.value
    assert flow.budget.spent("dr-li") == pytest.approx(1.0)


def test_an_exhausted_budget_blocks_and_is_a_risk_signal(
    hub: Hub, mock_alliance: Path, tmp_path: Path
) -> None:
    ledger = _ledger(tmp_path)
    gate = LedgerApprovals(ledger, hub.bundle.federated.committee)
    flow = RequestFlow(hub, ledger, gate)
    limit = hub.bundle.federated.budget.limit("dr-wang")  # 3.0 by default, 1.0 per mean
    ran = 0
    with pytest.raises(PrivacyBudgetExhaustedError) as caught:
        for _ in range(10):
            request = FederatedRequest(requester="dr-wang", template="patient_age_mean")
            flow.submit(request, _mock(mock_alliance))
            _approve_all(gate, request.id)
            flow.run(request.id)
            ran += 1
    assert ran == int(limit / 1.0) and caught.value.code == "MS963"
    signals = [r.event for r in ledger.records(action_prefix="risk.signal")]
    assert len(signals) == 1 and signals[0].outcome == "alert"
    assert signals[0].detail["kind"] == "privacy_budget_exhausted"
    assert signals[0].actor == "dr-wang"
    other = FederatedRequest(requester="dr-zhao", template="patient_count")
    flow.submit(other, _mock(mock_alliance))
    _approve_all(gate, other.id)
    assert flow.run(other.id).release.epsilon == 0.5  # budgets are per requester
