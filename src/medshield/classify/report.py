"""Reading the catalogue: report rows, totals, the level map, and manual overrides."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Engine, Select, func, select
from sqlalchemy.orm import Session

from medshield.classify.classifier import REVIEW_BELOW
from medshield.classify.grade import grade, stored_elements, stored_may_embed
from medshield.classify.history import LevelChange, record_changes
from medshield.elements.levels import Level
from medshield.errors import InputError, UnknownNameError
from medshield.policy import PolicyBundle
from medshield.store.models.catalog import CatalogColumn, CatalogSource, CatalogTable

AnySelect = TypeVar("AnySelect", bound="Select[*tuple[Any, ...]]")  # a filter keeps the type

Row = dict[str, Any]


def _rows(session: Session) -> list[tuple[CatalogSource, CatalogTable, CatalogColumn]]:
    stmt = (
        select(CatalogSource, CatalogTable, CatalogColumn)
        .join(CatalogTable, CatalogTable.source_id == CatalogSource.id)
        .join(CatalogColumn, CatalogColumn.table_id == CatalogTable.id)
        .order_by(
            CatalogSource.name, CatalogTable.schema_name, CatalogTable.name, CatalogColumn.position
        )
    )
    return [(s, t, c) for s, t, c in session.execute(stmt)]


def _table_name(t: CatalogTable) -> str:
    return f"{t.schema_name}.{t.name}" if t.schema_name else t.name


def report_rows(store: Engine, *, review_only: bool = False) -> list[Row]:
    """One row per column: source, table, column, element, category, level, confidence, ..."""
    out: list[Row] = []
    with Session(store) as session:
        for s, t, c in _rows(session):
            if review_only and not (c.confidence < REVIEW_BELOW and c.override_by is None):
                continue
            out.append(_row(s.name, t, c))
    return out


def totals(rows: list[Row]) -> list[Row]:
    """Columns per category and level."""
    counts = Counter((r["category"] or "(none)", r["level"]) for r in rows)
    ordered = sorted(counts.items(), key=lambda kv: (kv[0][0], Level.parse(kv[0][1])))
    return [{"category": cat, "level": lvl, "columns": n} for (cat, lvl), n in ordered]


def level_map(store: Engine) -> dict[str, dict[str, dict[str, dict[str, str | None]]]]:
    """{source: {table: {column: {element, level}}}}, what masking and the gateway read."""
    out: dict[str, dict[str, dict[str, dict[str, str | None]]]] = {}
    with Session(store) as session:
        for s, t, c in _rows(session):
            table = out.setdefault(s.name, {}).setdefault(_table_name(t), {})
            table[c.name] = {"element": c.element, "level": c.level}
    return out


def _find_column(session: Session, source: str, table: str, column: str) -> CatalogColumn:
    sources = list(session.scalars(select(CatalogSource)))
    chosen = [s for s in sources if s.name == source] or [
        s for s in sources if s.name.endswith(source) or source in s.name
    ]
    if len(chosen) != 1:
        known = ", ".join(s.name for s in sources) or "none scanned yet"
        what = "ambiguous" if chosen else "unknown"
        raise UnknownNameError(f"{what} source {source!r}; known: {known}", where="catalog")
    schema, _, name = table.rpartition(".")
    found = session.scalar(
        select(CatalogColumn)
        .join(CatalogTable, CatalogColumn.table_id == CatalogTable.id)
        .where(
            CatalogTable.source_id == chosen[0].id,
            CatalogTable.name == name,
            CatalogTable.schema_name == schema,
            CatalogColumn.name == column,
        )
    )
    if found is None:
        raise UnknownNameError(f"no column {table}.{column} in the catalogue", where=chosen[0].name)
    return found


def override(
    store: Engine,
    bundle: PolicyBundle,
    source: str,
    table: str,
    column: str,
    *,
    reason: str,
    by: str,
    level: str | None = None,
    element: str | None = None,
    operator: str | None = None,
) -> Row:
    """A functional department (``by``) sets a column's level or element, with a reason; the
    ledger's actor is ``operator`` (who entered it) when given, else ``by``."""
    if not reason.strip() or not by.strip():
        raise InputError("an override needs --reason and --by", where=f"{table}.{column}")
    if level is None and element is None:
        raise InputError("give --level or --element", where=f"{table}.{column}")
    if level is not None:
        level = Level.parse(level).en
    with Session(store) as session, session.begin():
        col = _find_column(session, source, table, column)
        old = CatalogColumn(name=col.name, element=col.element, level=col.level)
        g = grade(
            bundle,
            stored_elements(col.evidence),
            may_embed=stored_may_embed(col.evidence),
            override_element=element or col.override_element,
            override_level=level or col.override_level,
            override_by=by,
        )
        col.override_element = element or col.override_element
        col.override_level = level or col.override_level
        col.override_reason, col.override_by = reason, by
        col.override_at = col.updated_at = datetime.now(UTC)
        col.element, col.category, col.level, col.level_trace = (
            g.element,
            g.category,
            g.level.en,
            g.trace,
        )
        source_name = (
            session.scalar(
                select(CatalogSource.name)
                .join(CatalogTable, CatalogTable.source_id == CatalogSource.id)
                .where(CatalogTable.id == col.table_id)
            )
            or source
        )
        change = LevelChange.between(table, old, col)
        row = {
            "source": source_name,
            "table": table,
            "column": column,
            "element": col.element or "",
            "level": col.level,
            "by": by,
            "reason": reason,
            "trace": col.level_trace,
        }
    why = reason if operator is None else f"{reason} (decided by {by})"
    record_changes(
        store, source_name, [change], bundle, actor=operator or by, action="catalog.override",
        reason=why,
    )  # fmt: skip
    return row


def _row(s_name: str, t: CatalogTable, c: CatalogColumn) -> Row:
    return {
        "source": s_name,
        "table": _table_name(t),
        "column": c.name,
        "type": c.type,
        "element": c.element or "",
        "category": c.category or "",
        "level": c.level,
        "confidence": round(c.confidence, 3),
        "review": c.confidence < REVIEW_BELOW and c.override_by is None,
        "override": c.override_by or "",
        "trace": c.level_trace,
    }


def catalog_page(
    store: Engine,
    *,
    source: str = "",
    table: str = "",
    element: str = "",
    level: str = "",
    review_only: bool = False,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[Row], int]:
    """One page of the catalogue and the number of columns matching, filtered in the store
    (source, table and element by substring, level exactly; ``review_only``: low confidence and
    not yet decided by hand).

    Tables first: the matching columns are counted per table in catalogue order (one pass over
    the column index, no sort of every column), the page's tables are found from the running
    counts, and only their columns are sorted. A deep page costs what the first page costs,
    where ``OFFSET`` over all columns sorted would grow with the page number.
    """
    if limit < 1 or offset < 0:
        raise InputError("a page needs limit >= 1 and offset >= 0", where="catalogue page")

    def of_columns(stmt: AnySelect) -> AnySelect:
        if element:
            stmt = stmt.where(CatalogColumn.element.contains(element, autoescape=True))
        if level:
            stmt = stmt.where(CatalogColumn.level == Level.parse(level).en)
        if review_only:
            stmt = stmt.where(
                CatalogColumn.confidence < REVIEW_BELOW, CatalogColumn.override_by.is_(None)
            )
        return stmt

    def of_tables(stmt: AnySelect) -> AnySelect:
        if source:
            stmt = stmt.where(CatalogSource.name.contains(source, autoescape=True))
        if table:
            stmt = stmt.where(CatalogTable.name.contains(table.rpartition(".")[2], autoescape=True))
        return stmt

    # counted on the column index alone, then joined to the (few) tables to order them
    counted = select(CatalogColumn.table_id, func.count().label("n"))
    if source or table:  # count only the named tables' columns
        named = select(CatalogTable.id).join(
            CatalogSource, CatalogSource.id == CatalogTable.source_id
        )
        counted = counted.where(CatalogColumn.table_id.in_(of_tables(named)))
    per_table = of_columns(counted.group_by(CatalogColumn.table_id)).subquery()
    tables = (CatalogSource.name, CatalogTable.schema_name, CatalogTable.name, CatalogTable.id)
    counts_stmt = of_tables(
        select(CatalogTable.id, per_table.c.n)
        .join(per_table, per_table.c.table_id == CatalogTable.id)
        .join(CatalogSource, CatalogSource.id == CatalogTable.source_id)
        .order_by(*tables)
    )
    with Session(store) as session:
        counts = session.execute(counts_stmt).all()
        total = sum(n for _, n in counts)
        chosen: list[int] = []
        before = seen = 0  # columns before the first chosen table; columns counted so far
        for table_id, n in counts:
            if seen + n > offset:
                before = before if chosen else seen
                chosen.append(table_id)
            seen += n
            if seen >= offset + limit:
                break
        if not chosen:
            return [], int(total)
        page = session.execute(
            of_columns(
                select(CatalogSource.name, CatalogTable, CatalogColumn)
                .join(CatalogTable, CatalogTable.source_id == CatalogSource.id)
                .join(CatalogColumn, CatalogColumn.table_id == CatalogTable.id)
                .where(CatalogColumn.table_id.in_(chosen))
            )
            .order_by(*tables, CatalogColumn.position, CatalogColumn.id)
            .offset(offset - before)
            .limit(limit)
        )
        return [_row(s, t, c) for s, t, c in page], int(total)
