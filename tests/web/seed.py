"""A small console world: a store with a graded catalogue, a ledger with events, passwords."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from medshield.ledger import DataObject, Event, open_ledger
from medshield.lineage.steps import record_step
from medshield.policy import PolicyBundle, load_bundle
from medshield.store.db import connect, upgrade
from medshield.store.models.catalog import CatalogColumn, CatalogSource, CatalogTable
from medshield.web.auth import hash_password
from medshield.web.views import ConsoleContext

STAFF = {"committee": "committee-01", "office": "office-01",
         "administrator": "secadmin-01", "supervisor": "supervisor-01"}  # fmt: skip
NOT_STAFF = "doctor-01"
PSEUDONYM = "Pk1a2b3c4d5e6f7"


def password(member: str) -> str:
    return f"pw-{member}-secret"


def add_catalogue(store: Engine, tables: int, columns_per_table: int) -> None:
    now = datetime.now(UTC)
    with Session(store) as session, session.begin():
        source = CatalogSource(name="postgresql://hub/emr", dialect="postgresql",
                               first_scanned_at=now, last_scanned_at=now)  # fmt: skip
        session.add(source)
        session.flush()
        for t in range(tables):
            table = CatalogTable(source_id=source.id, schema_name="public", name=f"patient_{t}",
                                 fingerprint="f", classifier_version="c", detector_version="d",
                                 policy_version="p", scanned_at=now)  # fmt: skip
            session.add(table)
            session.flush()
            for c in range(columns_per_table):
                low = c % 4 == 3
                session.add(CatalogColumn(
                    table_id=table.id, name="id_no" if c == 0 else f"col_{c}", position=c,
                    type="varchar", element="id_card" if c == 0 else None,
                    level="controlled" if c == 0 else "normal",
                    level_trace="身份证号 → 控制级" if c == 0 else "默认 → 普通级",
                    confidence=0.3 if low else 0.95, evidence={}, classifier_version="c",
                    detector_version="d", policy_version="p", updated_at=now,
                ))  # fmt: skip


def build_world(home: Path, bundle: PolicyBundle | None = None) -> ConsoleContext:
    bundle = bundle or load_bundle()
    url = f"sqlite:///{home / 'store.db'}"
    upgrade(url)
    store = connect(url)
    add_catalogue(store, tables=3, columns_per_table=8)
    ledger = open_ledger(url, bundle=bundle)
    now = datetime.now(UTC)
    hub = bundle.institutions[0].id
    ledger.append_many([
        Event(action="gateway.call", actor="token:t1", institution=hub, source_ip="10.1.0.5",
              object=DataObject(api="patient_basic"), outcome="allow"),
        Event(action="gateway.call", actor="token:t2", institution=hub, source_ip="203.0.113.9",
              object=DataObject(api="patient_basic"), outcome="deny", reasons=("scope",)),
        Event(action="gateway.alert", actor="gateway", outcome="alert", reasons=("burst",),
              source_ip="10.11.0.9"),
        Event(action="audit.sql.run", actor="auditor", outcome="alert", reasons=("injection",)),
        Event(action="mask.job", actor="secadmin-01", outcome="info", rows=10),
        Event(action="drill.completed", actor="secadmin-01", outcome="info"),
    ])  # fmt: skip
    record_step(ledger, stage="transmit", actor="etl", from_="hosp/emr", to="hub/ods",
                form="pseudonymised", time_in=now - timedelta(minutes=5), time_out=now,
                rows=5, pseudonyms=[PSEUDONYM])  # fmt: skip
    ledger.checkpoint()
    reports = home / "reports"
    reports.mkdir()
    (reports / "月度报告.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    passwords = {m: hash_password(password(m)) for m in [*STAFF.values(), NOT_STAFF]}
    return ConsoleContext(bundle=bundle, store=store, ledger=ledger, passwords=passwords,
                          reports=reports)  # fmt: skip
