"""Ledger events of masking: each job, each finished table, and the lineage step.

Events carry the table and column names and the plan's digest, never a value.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from medshield.elements.levels import Level
from medshield.ledger import DataObject, Event, open_ledger
from medshield.lineage.steps import lineage_event
from medshield.policy.context import Form, Stage


def table_events(
    *,
    job_id: str,
    actor: str,
    source: str,
    target: str,
    table: str,
    columns: Sequence[str],
    rows: int,
    plan: dict[str, str],
    duration_ms: float,
    released: bool = True,
    elements: Sequence[str] = (),
    level: Level | None = None,
    policy_version: str | None = None,
) -> list[Event]:
    """The finished-table event and its lineage step (source -> target, form masked) with the
    elements, level and policy version of the release; the step of a table refused by
    verification is marked refused (outcome ``deny``): nothing reached the target."""
    done = Event(
        action="mask.job",
        actor=actor,
        object=DataObject(source=source, table=table, columns=tuple(columns)),
        rows=rows,
        outcome="info" if released else "deny",
        duration_ms=duration_ms,
        detail={
            "job": job_id,
            "step": "table_done" if released else "table_refused",
            "target": target,
            "plan": plan,
        },
    )
    time_out = datetime.now(UTC)
    lineage = lineage_event(
        stage=Stage.PROCESS,
        actor=actor,
        from_=f"{source}/{table}",
        to=f"{target}/{table}",
        form=Form.MASKED,
        rows=rows,
        time_in=time_out - timedelta(milliseconds=duration_ms),
        time_out=time_out,
        columns=columns,
        job=job_id,
        elements=elements,
        level=level,
    )
    update: dict[str, Any] = {"policy_version": policy_version}
    if not released:
        update |= {"outcome": "deny", "detail": {**lineage.detail, "refused": True}}
    return [done, lineage.revised(**update)]


def job_event(
    *, job_id: str, actor: str, source: str, target: str, state: str, detail: dict[str, Any]
) -> Event:
    return Event(
        action="mask.job",
        actor=actor,
        object=DataObject(source=source),
        outcome="deny" if state in ("failed", "refused") else "info",
        detail={"job": job_id, "step": state, "target": target, **detail},
    )


def append_events(events: Sequence[Event], *, store_url: str | None = None) -> bool:
    """Append ``events`` to the platform ledger (in the store at ``store_url``)."""
    with open_ledger(store_url) as ledger:
        ledger.append_many(list(events))
    return True
