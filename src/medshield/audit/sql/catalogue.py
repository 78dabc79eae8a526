"""What the audit knows of a database: tables, columns with their element and level, indexes,
row counts and views. It is the schema sqlglot's ``qualify`` resolves statements against.

Built from a scan (``from_tables``), from the synthetic alliance's HIS schema (``from_synth``) or
from a JSON/YAML mapping (``from_mapping``, the ``--catalogue`` file of ``medshield audit sql``)::

    {"tables": {"patient": {"rows": 250000, "indexes": [["patient_id"], ["id_no"]],
                            "columns": {"patient_id": {"type": "int"},
                                        "id_no": {"type": "varchar", "element": "DE02.01.030.00",
                                                  "level": "important"}}}},
     "views": {"v_patient": "SELECT patient_id, name FROM patient"}}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from sqlglot.schema import MappingSchema

from medshield.elements.levels import Level
from medshield.errors import AuditError, UnknownNameError


@dataclass(frozen=True)
class ColumnFacts:
    type: str = "text"
    element: str | None = None
    level: Level | None = None


@dataclass(frozen=True)
class TableFacts:
    name: str
    columns: Mapping[str, ColumnFacts]
    indexed: frozenset[str] = frozenset()  # columns that lead an index (or the primary key)
    rows: int | None = None


@dataclass(frozen=True)
class SqlCatalogue:
    tables: Mapping[str, TableFacts]
    views: Mapping[str, str] = field(default_factory=dict)  # name -> defining SELECT
    _schemas: dict[str, MappingSchema] = field(default_factory=dict, repr=False, compare=False)

    def table(self, name: str) -> TableFacts | None:
        return self.tables.get(name.lower())

    @cached_property
    def schema(self) -> dict[str, object]:
        """``{table: {column: type}}`` for ``sqlglot.optimizer.qualify``."""
        return {t.name: {c: f.type for c, f in t.columns.items()} for t in self.tables.values()}

    def mapping_schema(self, dialect: str) -> MappingSchema:
        """The schema normalised for ``dialect`` once, instead of on every ``qualify`` call."""
        found = self._schemas.get(dialect)
        if found is None:
            found = self._schemas[dialect] = MappingSchema(self.schema, dialect=dialect)
        return found

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, where: str = "catalogue") -> SqlCatalogue:
        try:
            tables = {
                name.lower(): _table(name.lower(), spec) for name, spec in data["tables"].items()
            }
            views = {str(k).lower(): str(v) for k, v in (data.get("views") or {}).items()}
        except (KeyError, TypeError, AttributeError, ValueError, UnknownNameError) as exc:
            raise AuditError(f"malformed catalogue: {exc}", where=where) from None
        return cls(tables, views)

    @classmethod
    def from_synth(cls, *, rows: int = 200_000) -> SqlCatalogue:
        """The logical HIS schema of the synthetic alliance, with the elements' levels."""
        from medshield.elements.catalogue import load_catalogue
        from medshield.synth.schema import TABLES

        elements = load_catalogue()
        tables = {}
        for spec in TABLES:
            columns = {
                c.key: ColumnFacts(
                    _sql_type(c.sql),
                    c.element or None,
                    elements[c.element].level if c.element in elements else None,
                )
                for c in spec.columns
            }
            first = spec.columns[0].key
            indexed = frozenset({first} | {c for c in columns if c.endswith("_id")})
            size = rows if spec.personal else 500
            tables[spec.key] = TableFacts(spec.key, columns, indexed, size)
        return cls(tables)

    @classmethod
    def from_tables(
        cls,
        infos: Iterable[Any],
        grades: Mapping[tuple[str, str], tuple[str | None, Level | None]],
    ) -> SqlCatalogue:
        """From scanned ``TableInfo``s and ``(table, column) -> (element, level)`` grades."""
        tables = {}
        for info in infos:
            name = info.name.lower()
            columns = {
                c.name.lower(): ColumnFacts(
                    c.type, *grades.get((name, c.name.lower()), (None, None))
                )
                for c in info.columns
            }
            indexed = {c.name.lower() for c in info.columns if c.indexed or c.primary_key}
            indexed |= {ix[0].lower() for ix in info.indexes if ix}
            tables[name] = TableFacts(name, columns, frozenset(indexed), info.row_count)
        return cls(tables)


def _table(name: str, spec: Mapping[str, Any]) -> TableFacts:
    columns = {
        str(c).lower(): ColumnFacts(
            str(f.get("type", "text")),
            f.get("element"),
            Level.parse(f["level"]) if f.get("level") else None,
        )
        for c, f in spec["columns"].items()
    }
    indexed = frozenset(str(ix[0]).lower() for ix in spec.get("indexes", ()) if ix)
    rows = spec.get("rows")
    return TableFacts(name, columns, indexed, None if rows is None else int(rows))


def _sql_type(synth: str) -> str:
    kind = synth.partition(":")[0]
    return {"str": "varchar", "money": "decimal", "float": "double"}.get(kind, kind)
