"""Probe results as ledger events, alerts on failure, and pausing a probe (also an event)."""

from __future__ import annotations

from medshield.ledger import DataObject, Event, Ledger
from medshield.notify import Alert, Notifier
from medshield.probes.catalogue import Probe
from medshield.probes.run import ProbeResult, ProbeTarget, run_probe

ACTOR = "probe"


def record_result(ledger: Ledger, result: ProbeResult, notifier: Notifier | None = None) -> int:
    """Append ``probe.result``; a failure also raises a ``probe.failed`` alert."""
    seq = ledger.append(
        Event(
            action="probe.result", actor=ACTOR, object=DataObject(api=result.api),
            outcome="allow" if result.ok else "alert", duration_ms=result.ms,
            reasons=(f"{result.failed_step}: {result.reason}",) if not result.ok else (),
            detail={"probe": result.probe, "steps": result.steps, "failed_step": result.failed_step},
        )
    ).seq  # fmt: skip
    if not result.ok and notifier is not None:
        notifier.raise_alert(
            Alert("probe.failed", "high", f"拨测失败：{result.api}（{result.failed_step}）",
                  f"{result.reason}（账本序号 {seq}）", subject=result.api, team="ops")
        )  # fmt: skip
    return seq


def set_paused(ledger: Ledger, probe: str, actor: str, *, paused: bool = True) -> int:
    action = "probe.paused" if paused else "probe.resumed"
    return ledger.append(Event(action=action, actor=actor, detail={"probe": probe})).seq


def paused_probes(ledger: Ledger) -> set[str]:
    paused: set[str] = set()
    for record in ledger.records(action_prefix="probe."):
        name = str(record.event.detail.get("probe"))
        if record.event.action == "probe.paused":
            paused.add(name)
        elif record.event.action == "probe.resumed":
            paused.discard(name)
    return paused


def run_probes(
    probes: list[Probe], target: ProbeTarget, ledger: Ledger, notifier: Notifier | None = None,
    *, only: set[str] | None = None,
) -> list[ProbeResult]:  # fmt: skip
    """Run the probes that are not paused (or the ``only`` ones); each result is recorded."""
    skip = paused_probes(ledger)
    results = []
    for probe in probes:
        if probe.name in skip or (only and probe.name not in only and probe.api not in only):
            continue
        result = run_probe(probe, target)
        record_result(ledger, result, notifier)
        results.append(result)
    return results
