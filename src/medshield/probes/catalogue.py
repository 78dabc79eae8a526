"""Probes generated from the API catalogue (``apis.yaml``): one a patient-level API."""

from __future__ import annotations

from dataclasses import dataclass

from medshield.policy.bundle import PolicyBundle


@dataclass(frozen=True)
class Probe:
    name: str
    api: str
    path: str  # with the patient parameter as ``{patient}``
    requires_consent: bool
    fields: tuple[str, ...]
    interval_s: int = 300  # seconds between two runs (probes.yaml)


def probes_from_catalogue(bundle: PolicyBundle) -> list[Probe]:
    """A probe for each exposed GET API whose only path parameter names the patient."""
    probes = []
    for api in bundle.apis:
        patient = [p.name for p in api.params if p.patient and p.where == "path"]
        others = [p for p in api.params if p.where == "path" and not p.patient]
        if not api.exposed or api.method != "GET" or len(patient) != 1 or others:
            continue
        probes.append(
            Probe(
                name=f"probe.{api.id}",
                api=api.id,
                path=api.path.replace("{" + patient[0] + "}", "{patient}"),
                requires_consent=api.requires_consent,
                fields=tuple(f.name for f in api.fields),
                interval_s=bundle.probes.interval_of(api.id),
            )
        )
    return probes
