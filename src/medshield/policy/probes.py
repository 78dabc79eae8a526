"""``probes.yaml``: how often each API's synthetic probe runs (R26: probes are scheduled per API).

The APIs it names are checked against the catalogue by ``medshield.probes.bundle_checks``.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

MIN_INTERVAL_S = 10  # a probe asks the gateway (and may send a consent SMS): not more often
MAX_INTERVAL_S = 7 * 86400


class ProbesSection(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    default_interval_s: int = Field(default=300, ge=MIN_INTERVAL_S, le=MAX_INTERVAL_S)
    # API id -> seconds between two runs of its probe
    intervals: dict[str, Annotated[int, Field(ge=MIN_INTERVAL_S, le=MAX_INTERVAL_S)]] = {}

    def interval_of(self, api: str) -> int:
        return self.intervals.get(api, self.default_interval_s)
