"""The audit catalogue of a live source: its structure and indexes from the database, row
estimates from its statistics, and each column's element and level from the platform's
catalogue (``medshield catalog scan``) or the policy's ``columns.yaml``."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import Engine, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from medshield.audit.sql.catalogue import SqlCatalogue
from medshield.classify.scan import list_tables, safe_url
from medshield.elements.levels import Level
from medshield.policy.bundle import PolicyBundle
from medshield.store.models.catalog import CatalogColumn, CatalogSource, CatalogTable

Grades = dict[tuple[str, str], tuple[str | None, Level | None]]

_ROW_ESTIMATES = {
    "postgresql": "SELECT relname, reltuples FROM pg_class WHERE relkind = 'r'",
    "mysql": "SELECT table_name, table_rows FROM information_schema.tables "
    "WHERE table_schema = DATABASE()",
}


def catalogue_from_source(
    engine: Engine,
    bundle: PolicyBundle,
    *,
    store: Engine | None = None,
    source_name: str | None = None,
) -> SqlCatalogue:
    url = safe_url(engine.url.render_as_string(hide_password=False))
    name = source_name or url
    infos = list(list_tables(engine))
    grades: Grades = {}
    for info in infos:
        for column in info.columns:
            grade = bundle.column(name, info.name, column.name)
            if grade is not None:
                element = grade.elements[0] if grade.elements else None
                level = grade.level or (bundle.catalogue[element].level if element else None)
                grades[(info.name.lower(), column.name.lower())] = (element, level)
    if store is not None:
        grades |= _store_grades(store, url)
    rows = _row_estimates(engine)
    catalogue = SqlCatalogue.from_tables(infos, grades)
    tables = {
        name: facts if facts.rows is not None else replace(facts, rows=rows.get(name))
        for name, facts in catalogue.tables.items()
    }
    return SqlCatalogue(tables, catalogue.views)


def _store_grades(store: Engine, source: str) -> Grades:
    query = (
        select(CatalogTable.name, CatalogColumn)
        .join(CatalogColumn, CatalogColumn.table_id == CatalogTable.id)
        .join(CatalogSource, CatalogSource.id == CatalogTable.source_id)
        .where(CatalogSource.name == source)
    )
    out: Grades = {}
    with Session(store) as session:
        for table, column in session.execute(query):
            element = column.override_element or column.element
            level = Level.parse(column.override_level or column.level)
            out[(table.lower(), column.name.lower())] = (element, level)
    return out


def _row_estimates(engine: Engine) -> dict[str, int]:
    sql = _ROW_ESTIMATES.get(engine.dialect.name)
    if sql is None:
        return {}
    try:
        with engine.connect() as conn:
            return {
                str(name).lower(): int(count)
                for name, count in conn.execute(text(sql))
                if count is not None and count >= 0
            }
    except SQLAlchemyError:
        return {}
