"""Which probes are due: each API's probe runs every ``interval_s`` of ``probes.yaml``, counted
from its last ``probe.result`` in the ledger (so a restarted scheduler keeps the rhythm)."""

from __future__ import annotations

from datetime import UTC, datetime

from medshield.ledger import Ledger
from medshield.probes.catalogue import Probe


def last_runs(ledger: Ledger) -> dict[str, datetime]:
    """Probe name -> when its newest result was recorded."""
    last: dict[str, datetime] = {}
    for record in ledger.records(action_prefix="probe.result"):
        last[str(record.event.detail.get("probe"))] = record.at
    return last


def due_probes(probes: list[Probe], ledger: Ledger, now: datetime | None = None) -> list[Probe]:
    """The probes never run, or whose last run is at least their interval ago."""
    now = now or datetime.now(UTC)
    last = last_runs(ledger)
    return [
        p
        for p in probes
        if p.name not in last or (now - last[p.name]).total_seconds() >= p.interval_s
    ]
