"""A small, fully known history of gateway, probe, audit and compliance events."""

from __future__ import annotations

from datetime import UTC, datetime

from medshield.ledger import DataObject, Event

# 2026-11-02 02:00 UTC is 10:00 in Asia/Shanghai
DAY = datetime(2026, 11, 2, tzinfo=UTC)


def call(hour: int, minute: int, *, inst: str, ip: str, api: str, rows: int, ms: float,
         code: str = "ok", status: int = 200, intercepted: tuple[str, ...] = (),
         day: int = 2) -> Event:  # fmt: skip
    refused = code != "ok"
    return Event(
        action="gateway.call",
        actor=f"token:{inst}",
        at=DAY.replace(day=day, hour=hour, minute=minute),
        institution=inst,
        source_ip=ip,
        object=DataObject(api=api),
        outcome="deny" if refused else ("alert" if intercepted else "allow"),
        rows=rows,
        duration_ms=ms,
        reasons=("over the rate limit",) if refused else (),
        detail={"status": status, "code": code, "intercepted": list(intercepted),
                "under_control": rows // 2},
    )  # fmt: skip


KNOWN = [
    call(2, 0, inst="h1", ip="10.1.0.5", api="patient.summary", rows=1, ms=10.0),
    call(2, 0, inst="h1", ip="10.1.0.5", api="patient.summary", rows=1, ms=30.0),
    call(2, 1, inst="m1", ip="10.11.0.9", api="patient.visits", rows=10, ms=20.0),
    call(
        3,
        0,
        inst="m1",
        ip="203.0.113.7",
        api="patient.visits",
        rows=0,
        ms=5.0,
        code="MS617",
        status=429,
    ),
    call(
        3,
        5,
        inst="h1",
        ip="10.1.0.6",
        api="patient.visits",
        rows=4,
        ms=40.0,
        intercepted=("id_number",),
        day=3,
    ),
    Event(
        action="probe.result",
        actor="probe",
        at=DAY.replace(hour=4),
        outcome="allow",
        object=DataObject(api="patient.summary"),
        detail={"probe": "patient.summary"},
    ),
    Event(
        action="probe.result",
        actor="probe",
        at=DAY.replace(hour=5),
        outcome="alert",
        object=DataObject(api="patient.summary"),
        reasons=("masking: id_number clear",),
        detail={"probe": "patient.summary"},
    ),
    Event(
        action="audit.sql.statement",
        actor="dba1",
        at=DAY.replace(hour=6),
        outcome="alert",
        object=DataObject(table="patient"),
        detail={"findings": [{"rule": "select_star"}, {"rule": "no_where"}], "tables": ["patient"]},
    ),
    Event(
        action="alert.bulk_export",
        actor="dba2",
        at=DAY.replace(hour=6),
        outcome="alert",
        object=DataObject(table="visit"),
        detail={"detector": "bulk_export", "severity": "high"},
    ),
    Event(action="incident.opened", actor="sec", at=DAY.replace(hour=7)),
    Event(
        action="catalog.scan",
        actor="dpo",
        at=DAY.replace(hour=8),
        detail={"columns": 40, "classified": 30},
    ),
    Event(action="consent.request", actor="token:a", at=DAY.replace(hour=8)),
    Event(action="consent.grant", actor="token:a", at=DAY.replace(hour=8)),
    Event(
        action="lifecycle.destroy",
        actor="dpo",
        at=DAY.replace(hour=9),
        detail={"rows": 12, "retention_rule": "visits-30y"},
    ),
    # outside the window: never counted
    call(2, 0, inst="h1", ip="10.1.0.5", api="patient.summary", rows=99, ms=999.0, day=20),
]


WINDOW = (datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 10, tzinfo=UTC))
