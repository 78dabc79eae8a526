"""The closed loop: checks find, the register and a policy change follow, the ledger shows it."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine

from medshield.governance import Admin, active_version, loop_trace, vote
from medshield.governance.checks import LoopContext
from medshield.governance.checks.catalogue import ConfidenceCheck, CoverageCheck
from medshield.ledger import DataObject, Event, Ledger
from medshield.policy import PolicyBundle, load_bundle
from medshield.store.models.base import Base
from medshield.store.models.catalog import CatalogColumn, CatalogSource, CatalogTable


def _by_check(run) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    found: dict[str, set[str]] = {}
    for f in run.findings:
        found.setdefault(f.check, set()).add(f.subject)
    return found


def test_ledger_checks_find_tokens_probes_training_and_reviews(
    ledger: Ledger, bundle: PolicyBundle
) -> None:
    now = datetime.now(UTC)
    old = now - timedelta(days=200)
    ledger.append(
        Event(
            action="token.issued",
            actor="office-01",
            at=old,
            detail={"token": "t-old", "apis": ["visits"]},
        )
    )
    ledger.append(Event(action="token.issued", actor="office-01", at=now - timedelta(days=1),
                        detail={"token": "t-wide", "apis": ["*"]}))  # fmt: skip
    ledger.append(Event(action="token.issued", actor="office-01", at=now - timedelta(days=1),
                        detail={"token": "t-ok", "apis": ["visits"]}))  # fmt: skip
    ledger.append_many([Event(action="probe.run", actor="prober", outcome="deny",
                              object=DataObject(api="patient.visits"))] * 2)  # fmt: skip
    admin = Admin(ledger, bundle, "secadmin-01")
    for member in ("secadmin-01", "secadmin-02", "office-01", "office-02"):
        admin.record_training(member, "2026年度数据安全培训")
    later = datetime.now(UTC)
    run = Admin(ledger, bundle, "supervisor-01").run_checks(now=later)
    found = _by_check(run)
    assert found["stale_tokens"] == {"t-old", "t-wide"}
    assert found["failing_probes"] == {"patient.visits"}
    assert found["missing_training"] == {"supervisor-01", "monitor"}
    assert len(found["overdue_risk_reviews"]) == 12  # the baseline is 200 days old
    assert "replicas_behind" not in found and "catalogue_coverage" not in found
    assert len(run.changes) == 4
    rules = {p.rule for p in run.risk_proposals}
    assert {"token_findings"} <= rules
    again = Admin(ledger, bundle, "supervisor-01").run_checks(now=datetime.now(UTC))
    assert again.recorded == [] and again.changes == []  # recorded once a day


def test_catalogue_checks(tmp_path: Path, ledger: Ledger, bundle: PolicyBundle) -> None:
    store = create_engine(f"sqlite:///{tmp_path / 'catalog.db'}")
    Base.metadata.create_all(store)
    now = datetime.now(UTC)
    from sqlalchemy.orm import Session

    with Session(store) as s:
        src = CatalogSource(
            name="his_h1", dialect="sqlite", first_scanned_at=now, last_scanned_at=now
        )
        s.add(src)
        s.flush()
        table = CatalogTable(source_id=src.id, name="visits", fingerprint="x", classifier_version="c",
                             detector_version="d", policy_version="p", scanned_at=now)  # fmt: skip
        s.add(table)
        s.flush()
        for i, conf in enumerate((0.95, 0.4, 0.5)):
            s.add(CatalogColumn(table_id=table.id, name=f"c{i}", position=i, type="TEXT",
                                level="normal", confidence=conf, classifier_version="c",
                                detector_version="d", policy_version="p", updated_at=now,
                                override_by="office-01" if conf == 0.5 else None))  # fmt: skip
        s.commit()
    ledger.append(
        Event(action="api.call", actor="c", object=DataObject(source="his_h1", table="visits"))
    )
    ledger.append(
        Event(action="api.call", actor="c", object=DataObject(source="his_h1", table="orders"))
    )
    ctx = LoopContext(ledger, bundle, datetime.now(UTC) + timedelta(seconds=1), store)
    assert [f.subject for f in CoverageCheck().run(ctx)] == ["his_h1/orders"]
    [low] = ConfidenceCheck().run(ctx)
    assert (low.subject, low.count) == ("visits", 1)


def test_the_loop_from_finding_to_a_new_active_version(
    tmp_path: Path, ledger: Ledger, bundle: PolicyBundle
) -> None:
    now = datetime.now(UTC)
    ledger.append(Event(action="token.issued", actor="office-01", at=now - timedelta(days=1),
                        detail={"token": "t-wide", "apis": ["*"]}))  # fmt: skip
    run = Admin(ledger, bundle, "supervisor-01").run_checks()
    change = next(
        r.seq
        for r in ledger.records(action_prefix="governance.change_proposed")
        if r.event.detail["check"] == "stale_tokens"
    )
    assert run.changes
    folder = tmp_path / "policy"
    shutil.copytree(bundle.root, folder)
    gov = folder / "governance.yaml"
    gov.write_text(gov.read_text(encoding="utf-8").replace("token_max_days: 90", "token_max_days: 30"),
                   encoding="utf-8")  # fmt: skip
    new = load_bundle(folder)
    req = Admin(ledger, bundle, "office-01").propose_policy(
        new, "令牌有效期上限改为30天", change=change
    )
    for approver in ("office-02", "committee-01", "committee-03"):
        vote(ledger, bundle, approver, req.id, approve=True)
    assert active_version(ledger) == new.version
    trace = loop_trace(ledger, new.version)
    assert [s["action"] for s in trace] == [
        "governance.finding", "governance.change_proposed", "approval.requested", "policy.activated"]  # fmt: skip


def test_a_replica_behind_the_primary_is_a_finding(tmp_path: Path, bundle: PolicyBundle) -> None:
    from medshield.governance.checks.replicas import ReplicaCheck
    from medshield.ledger import open_ledger
    from medshield.ledger.replica import replicate

    replica = str(tmp_path / "replica")
    with open_ledger(f"sqlite:///{tmp_path / 'store.db'}", replicas=(replica,)) as ledger:
        ledger.append(Event(action="demo.step", actor="office-01"))
        replicate(ledger)
        ctx = LoopContext(ledger=ledger, bundle=bundle, now=datetime.now(UTC))
        assert ReplicaCheck().run(ctx) == []
        ledger.append_many([Event(action="demo.step", actor="office-01")] * 3)
        [finding] = ReplicaCheck().run(ctx)
    assert (finding.subject, finding.count) == (replica, 3)


def test_the_token_check_reads_the_gateways_token_events(
    ledger: Ledger, bundle: PolicyBundle
) -> None:
    from medshield.governance.checks.tokens import TokenCheck

    now = datetime.now(UTC)

    def issued(token: str, days: int, action: str = "gateway.token.issue", **more: str) -> Event:
        until = (now + timedelta(days=days)).isoformat()
        detail = {"token_id": token, "apis": ["patient.visits"], "expires_at": until, **more}
        return Event(action=action, actor=f"token:{token}", at=now, detail=detail)

    ledger.append_many([
        issued("t-long", 200),  # valid longer than token_max_days (90)
        issued("t-short", 7),
        issued("t-old", 200),
        issued("t-new", 200, "gateway.token.rotate", replaces="t-old"),
        issued("t-gone", 200),
        Event(action="gateway.token.revoke", actor="gateway", at=now,
              detail={"token_id": "t-gone"}),
    ])  # fmt: skip
    ctx = LoopContext(ledger=ledger, bundle=bundle, now=now, store=None)
    found = {f.subject for f in TokenCheck().run(ctx)}
    assert found == {"t-long", "t-new"}
