"""Synthetic probes (拨测, R26): generated from the API catalogue, run against the live gateway
with a canary token and a probe-only patient; each result is a ledger event, a failure an alert.

probes = probes_from_catalogue(bundle)
results = run_probes(probes, ProbeTarget(url, token, patient, secrets, inbox), ledger, notifier)
"""

from medshield.probes.catalogue import Probe, probes_from_catalogue
from medshield.probes.record import paused_probes, record_result, run_probes, set_paused
from medshield.probes.run import ProbeResult, ProbeTarget, gateway_inbox, run_probe
from medshield.probes.schedule import due_probes, last_runs

__all__ = [
    "Probe",
    "ProbeResult",
    "ProbeTarget",
    "due_probes",
    "gateway_inbox",
    "last_runs",
    "paused_probes",
    "probes_from_catalogue",
    "record_result",
    "run_probe",
    "run_probes",
    "set_paused",
]
