"""The probe schedule of a policy bundle, checked whenever a bundle loads (see policy/checks.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from medshield.errors import PolicyReferenceError
from medshield.probes.catalogue import probes_from_catalogue

if TYPE_CHECKING:
    from medshield.policy.bundle import PolicyBundle


class ProbeScheduleCheck:
    """Every API ``probes.yaml`` gives an interval has a probe: an exposed patient-level GET API
    of ``apis.yaml`` (a typo would otherwise leave that API on the default silently)."""

    name: ClassVar[str] = "probe_schedule"

    def check(self, bundle: PolicyBundle) -> None:
        probed = {p.api for p in probes_from_catalogue(bundle)}
        doc = bundle.sources.get("probes")
        for api in bundle.probes.intervals:
            if api not in probed:
                known = ", ".join(sorted(probed)) or "none"
                raise PolicyReferenceError(
                    f"probes.yaml gives an interval to {api!r}, which has no probe; "
                    f"probed APIs: {known}",
                    where=doc.where(("intervals", api)) if doc else str(bundle.root),
                )


BUNDLE_CHECKS = (ProbeScheduleCheck,)
