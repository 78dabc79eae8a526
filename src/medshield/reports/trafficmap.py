"""API calls and intercepts by where the caller is: the map shared by the API report and the
console's API-traffic page (R27).

A call is placed by its source address: the institution whose CIDR holds it, at that
institution's registered location (``institutions.yaml``); a public or unregistered address is
"unknown" (no IP database ships). An intercept is a call the gateway denied or flagged
(outcome ``deny`` or ``alert``) or a ``gateway.alert`` record. One pass, memory bounded by the
number of institutions.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from medshield.ledger import Ledger, RawRecord
from medshield.policy.schema import Institution
from medshield.reports.locate import Locator
from medshield.reports.tilegrid import TILES, Tile, tile_of

INTERCEPTED = ("deny", "alert")


@dataclass
class Tally:
    calls: int = 0
    intercepts: int = 0


@dataclass
class Region:
    """One tile of the map: a provincial-level division and the institutions registered in it."""

    tile: Tile
    calls: int = 0
    intercepts: int = 0
    institutions: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.tile.code, "province": self.tile.zh, "calls": self.calls,
                "intercepts": self.intercepts, "institutions": self.institutions}  # fmt: skip


@dataclass
class TrafficMap:
    regions: list[Region]  # every tile, in layout order, with or without traffic
    unknown: Tally

    def region(self, code: str) -> Region:
        return next(r for r in self.regions if r.tile.code == code)

    @property
    def top(self) -> int:
        return max([r.calls for r in self.regions] + [self.unknown.calls])

    def as_dict(self) -> dict[str, Any]:
        return {
            "regions": [r.as_dict() for r in self.regions if r.calls or r.institutions],
            "unknown": {"calls": self.unknown.calls, "intercepts": self.unknown.intercepts},
        }


class TrafficMapBuilder:
    def __init__(self, institutions: Iterable[Institution], locator: Locator | None = None) -> None:
        """``locator``: share one with another reader of the same records (its cache answers
        the second look-up of an address)."""
        self.institutions = tuple(institutions)
        self.locator = locator or Locator(self.institutions)
        self.by_inst: dict[str, Tally] = {i.id: Tally() for i in self.institutions}
        self.unknown = Tally()

    def add(self, action: str, event: dict[str, Any]) -> None:
        """One ``gateway.*`` event as plain JSON (the stored body); other events are ignored."""
        if action == "gateway.call":
            calls = 1
        elif action == "gateway.alert":
            calls = 0
        else:
            return
        self.add_address(event.get("source_ip"), calls, event.get("outcome") in INTERCEPTED)

    def add_address(self, address: str | None, calls: int, intercepts: int) -> None:
        """Counts of one caller address, placed at its institution (or unknown)."""
        found = self.locator.locate(address)
        tally = self.by_inst[found.id] if found else self.unknown
        tally.calls += calls
        tally.intercepts += intercepts

    def add_record(self, record: RawRecord) -> None:
        if record.action.startswith("gateway."):
            self.add(record.action, json.loads(record.body))

    def build(self) -> TrafficMap:
        regions = {t.code: Region(t) for t in TILES}
        unknown = Tally(self.unknown.calls, self.unknown.intercepts)
        for inst in self.institutions:
            tile = tile_of(inst.location.admin_code)
            tally = self.by_inst[inst.id]
            if tile is None:  # a code outside the 34 divisions: no tile to draw it on
                unknown.calls += tally.calls
                unknown.intercepts += tally.intercepts
                continue
            region = regions[tile.code]
            region.calls += tally.calls
            region.intercepts += tally.intercepts
            region.institutions.append({
                "id": inst.id, "name": inst.name, "district": inst.location.district,
                "calls": tally.calls, "intercepts": tally.intercepts,
            })  # fmt: skip
        return TrafficMap(list(regions.values()), unknown)


def traffic_map(
    ledger: Ledger,
    institutions: Iterable[Institution],
    since: datetime | None = None,
    until: datetime | None = None,
) -> TrafficMap:
    builder = TrafficMapBuilder(institutions)
    for record in ledger.raw_records(since=since, until=until, action_prefix="gateway."):
        builder.add_record(record)
    return builder.build()
