"""Data asset management (R37): who owns each catalogued table, its quality, and its use.

An asset is a table of the graded catalogue, named by its source's key (the database name:
``h1`` for ``.../h1.sqlite``) and the table. For each:

- **ownership**: the institution that owns it and the member who stewards it, from the policy's
  ``assets.owners`` (a table entry before a source entry); the owner defaults to the institution
  whose id is the source's key. An asset without a steward is a finding;
- **quality** (``assets_quality``), when the source is given: the worst null rate of its columns,
  identity numbers whose GB 11643 check character is wrong, and the days since its newest date;
- **use**, read from the ledger over ``assets.usage_days``: released gateway calls (through the
  tables of each API's query) and ad-hoc query releases, with the records released and the
  institutions (or, for queries, the users) that used it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlglot
from sqlalchemy import Engine, make_url, select
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session
from sqlglot import exp

from medshield.elements.levels import Level
from medshield.governance.assets_quality import TableQuality
from medshield.ledger import Ledger
from medshield.policy import PolicyBundle
from medshield.store.models.catalog import CatalogColumn, CatalogSource, CatalogTable

RELEASED = ("allow", "alert")  # an intercepted response still released what passed its checks


def source_key(name: str) -> str:
    """The key of a source: its database name (a SQLite file's stem); the name itself if no URL."""
    try:
        database = make_url(name).database or ""
    except ArgumentError:
        return name
    return Path(database).stem if name.startswith("sqlite") else database or name


@dataclass
class Asset:
    source: str
    table: str
    url: str  # the catalogue's source name
    schema: str
    columns: dict[str, tuple[str, str | None]]  # column -> (type, element)
    level: str
    rows: int | None
    owner: str = ""
    steward: str = ""
    quality: TableQuality | None = None
    calls: int = 0
    records: int = 0
    users: Counter[str] = field(default_factory=Counter)

    def findings(self, bundle: PolicyBundle) -> list[str]:
        found = [] if self.steward else ["无数据管理员 no steward"]
        if self.quality is not None:
            found += self.quality.findings(bundle.governance.assets)
        return found

    def as_row(self, bundle: PolicyBundle) -> dict[str, Any]:
        q = self.quality
        return {
            "source": self.source, "table": self.table, "owner": self.owner,
            "steward": self.steward or "", "level": self.level, "rows": self.rows,
            "max_null_rate": round(q.max_null_rate, 3) if q else None,
            "null_column": q.null_column if q else "",
            "invalid_ids": q.invalid_ids if q else None,
            "fresh_days": q.fresh_days if q else None,
            "calls": self.calls, "records": self.records,
            "users": ",".join(f"{k}:{n}" for k, n in self.users.most_common()),
            "findings": "; ".join(self.findings(bundle)),
        }  # fmt: skip


def catalogue_assets(store: Engine, bundle: PolicyBundle) -> list[Asset]:
    """Every catalogued table with its owner, steward and highest column level."""
    assets: dict[tuple[str, str], Asset] = {}
    with Session(store) as session:
        rows = session.execute(
            select(CatalogSource.name, CatalogTable, CatalogColumn)
            .join(CatalogTable, CatalogTable.source_id == CatalogSource.id)
            .join(CatalogColumn, CatalogColumn.table_id == CatalogTable.id)
            .order_by(CatalogSource.name, CatalogTable.name, CatalogColumn.position)
        ).all()
        for url, table, column in rows:
            key = (source_key(str(url)), str(table.name))
            asset = assets.get(key)
            if asset is None:
                asset = assets[key] = Asset(key[0], key[1], str(url), table.schema_name or "",
                                            {}, Level.PUBLIC.en, table.row_count)  # fmt: skip
            element = column.override_element or column.element
            asset.columns[str(column.name)] = (str(column.type), element)
            level = Level.parse(column.override_level or column.level)
            asset.level = max(Level.parse(asset.level), level).en
    for asset in assets.values():
        asset.owner, asset.steward = _owner(bundle, asset.source, asset.table)
    return [assets[k] for k in sorted(assets)]


def _owner(bundle: PolicyBundle, source: str, table: str) -> tuple[str, str]:
    entries = [o for o in bundle.governance.assets.owners if o.source == source]
    entry = next((o for o in entries if o.table == table), None) or next(
        (o for o in entries if o.table == "*"), None
    )
    institution = bundle.institution(source)
    owner = (entry.owner if entry and entry.owner else None) or (
        institution.id if institution else ""
    )
    return owner, (entry.steward or "") if entry else ""


def _query_tables(sql: str) -> set[str]:
    try:
        return {t.name for t in sqlglot.parse_one(sql).find_all(exp.Table)}
    except sqlglot.errors.ParseError:
        return set()


def record_usage(
    assets: list[Asset], ledger: Ledger, bundle: PolicyBundle, now: datetime | None = None
) -> None:
    """Add the use the ledger shows over ``assets.usage_days`` to each asset."""
    since = (now or datetime.now(UTC)) - timedelta(days=bundle.governance.assets.usage_days)
    by_key = {(a.source, a.table.lower()): a for a in assets}
    api_tables = {
        a.id: (a.source, _query_tables(a.query)) for a in bundle.apis if a.query and a.source
    }
    used: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    for record in ledger.records(since=since, action_prefix="gateway.call"):
        event = record.event
        if event.outcome not in RELEASED or event.object.api not in api_tables:
            continue
        source, tables = api_tables[event.object.api]
        for table in tables:
            used[(source, table.lower())].append((event.institution or "", event.rows or 0))
    for record in ledger.records(since=since, action_prefix="audit.query.release"):
        event, detail = record.event, record.event.detail
        for table in detail.get("tables", ()):
            name = str(table).rsplit(".", 1)[-1].lower()
            key = (source_key(str(detail.get("source", ""))), name)
            used[key].append((event.institution or event.actor, event.rows or 0))
    for key, uses in used.items():
        asset = by_key.get(key)
        if asset is None:
            continue
        asset.calls += len(uses)
        asset.records += sum(n for _, n in uses)
        asset.users.update(who for who, _ in uses if who)
