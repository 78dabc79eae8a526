"""The trace of level changes: every regrade and override is a ledger event."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from medshield.ledger import DataObject, Event, open_ledger
from medshield.policy import PolicyBundle
from medshield.store.models.catalog import CatalogColumn


@dataclass(frozen=True)
class LevelChange:
    table: str
    column: str
    element_before: str | None
    element_after: str | None
    level_before: str
    level_after: str
    trace: str

    @classmethod
    def between(cls, table: str, old: CatalogColumn, new: CatalogColumn) -> LevelChange:
        return cls(table, new.name, old.element, new.element, old.level, new.level, new.level_trace)

    def as_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "column": self.column,
            "element": [self.element_before, self.element_after],
            "level": [self.level_before, self.level_after],
            "trace": self.trace,
        }


def record_changes(
    store: Engine,
    source: str,
    changes: Sequence[LevelChange],
    bundle: PolicyBundle,
    *,
    actor: str,
    action: str = "catalog.regrade",
    reason: str | None = None,
    scan: dict[str, Any] | None = None,
) -> None:
    """Append one ledger event per table whose columns changed level or element, and one
    ``catalog.scan`` event with the scan's counts when ``scan`` is given."""
    if not changes and scan is None:
        return
    by_table: dict[str, list[LevelChange]] = {}
    for change in changes:
        by_table.setdefault(change.table, []).append(change)
    events = []
    for table, group in by_table.items():
        elements = sorted({c.element_after for c in group if c.element_after})
        events.append(
            Event(
                action=action,
                actor=actor,
                object=DataObject(
                    source=source, table=table, columns=tuple(c.column for c in group)
                ),
                elements=tuple(elements),
                levels=tuple(sorted({c.level_after for c in group})),
                reasons=(reason,) if reason else tuple(c.trace for c in group)[:20],
                policy_version=bundle.version,
                detail={"changes": [c.as_dict() for c in group]},
            )
        )
    if scan is not None:
        events.append(
            Event(
                action="catalog.scan",
                actor=actor,
                object=DataObject(source=source),
                policy_version=bundle.version,
                detail=scan,
            )
        )
    with open_ledger(store.url.render_as_string(hide_password=False), bundle=bundle) as ledger:
        ledger.append_many(events)
