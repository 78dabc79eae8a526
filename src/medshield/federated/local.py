"""A node's own HIS database, read by logical table and column whatever the vendor style.

Aggregation runs in the database (COUNT, SUM, GROUP BY); no row leaves it, not even into the
node's memory.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from medshield.errors import StoreError, TemplateRefusedError
from medshield.store.sources import source_url
from medshield.synth.schema import TABLES
from medshield.synth.styles import STYLES, VendorStyle


@dataclass(frozen=True)
class LocalTable:
    """One logical table of the node's HIS: its physical name and SQL expressions of columns."""

    engine: sa.Engine
    style: VendorStyle
    logical: str
    physical: str

    def column(self, key: str) -> sa.ColumnElement[Any]:
        spec = next((t for t in TABLES if t.key == self.logical), None)
        if spec is None or all(c.key != key for c in spec.columns):
            raise TemplateRefusedError(f"no column {key!r} in table {self.logical!r}")
        col: sa.ColumnElement[Any] = sa.column(self.style.column_name(spec.column(key)))
        if key == "gender":  # vendors code it 1/2, 男/女 or M/F: answer 男/女 everywhere
            male, female = self.style.gender_codes
            return sa.case((col == male, "男"), (col == female, "女"), else_=None)
        return col

    def clamped(self, key: str, lower: float, upper: float) -> sa.ColumnElement[Any]:
        col = self.column(key)
        return sa.case((col < lower, lower), (col > upper, upper), else_=col)

    def bin_index(self, key: str, lower: float, upper: float, bins: int) -> sa.ColumnElement[Any]:
        scaled = (self.clamped(key, lower, upper) - lower) * (bins / (upper - lower))
        if self.engine.dialect.name == "sqlite":  # no floor(); values are >= 0 here
            return sa.cast(scaled, sa.Integer)
        return sa.func.floor(scaled)

    @property
    def table(self) -> sa.TableClause:
        return sa.table(self.physical)

    def rows(self, query: sa.Executable) -> Sequence[tuple[Any, ...]]:
        try:
            with self.engine.connect() as conn:
                return [tuple(row) for row in conn.execute(query)]
        except SQLAlchemyError as exc:
            raise StoreError(
                f"local aggregation failed: {type(getattr(exc, 'orig', None) or exc).__name__}",
                where=self.physical,
            ) from None


@dataclass(frozen=True)
class LocalDatabase:
    """The node's database: URL, vendor style and logical -> physical table names."""

    engine: sa.Engine
    style: VendorStyle
    tables: dict[str, str]

    @classmethod
    def open(cls, url: str, style: str, tables: dict[str, str]) -> LocalDatabase:
        found = next((s for s in STYLES if s.key == style), None)
        if found is None:
            raise StoreError(f"unknown vendor style {style!r}")
        return cls(sa.create_engine(source_url(url)), found, dict(tables))

    def table(self, logical: str) -> LocalTable:
        if logical not in self.tables:
            raise TemplateRefusedError(f"no table {logical!r} at this node")
        return LocalTable(self.engine, self.style, logical, self.tables[logical])
