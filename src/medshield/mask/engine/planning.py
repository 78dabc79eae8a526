"""Masking plans of a whole source, from its graded catalogue (scanned first if need be)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from medshield.errors import UnknownNameError
from medshield.mask.consistency import Column, consistent_plans
from medshield.policy import PolicyBundle, UseContext, grant_masking

if TYPE_CHECKING:
    from medshield.mask.plan import MaskPlan


def source_plans(
    source_url: str,
    bundle: PolicyBundle,
    context: UseContext,
    *,
    store: Engine,
    tables: Sequence[str] | None = None,
    scan: bool = True,
) -> dict[str, MaskPlan]:
    """Table -> ``MaskPlan`` for the tables of ``source_url`` (all of them when ``tables`` is None).

    The column elements come from the catalogue in ``store``; a source not yet in it is scanned.
    The masking gate decides first: a refused context gets ``MaskingRefusedError``. The plans
    are made consistent as one release (``mask.consistency``): join groups, per-patient dates.
    """
    grant = grant_masking(bundle, context)
    from medshield.classify.catalog import scan_source
    from medshield.classify.report import level_map
    from medshield.classify.scan import safe_url
    from medshield.mask.plan import plan_for

    name = safe_url(source_url)
    catalogue = level_map(store)
    if name not in catalogue and scan:
        scan_source(store, source_url, bundle, actor="medshield.mask")
        catalogue = level_map(store)
    if name not in catalogue:
        raise UnknownNameError("source not in the catalogue; run medshield scan", where=name)
    known = catalogue[name]
    chosen = list(tables) if tables else sorted(known)
    for table in chosen:
        if table not in known:
            raise UnknownNameError(f"no table {table!r} in the catalogue of the source", where=name)
    plans = {
        table: plan_for(
            {c: v["element"] for c, v in known[table].items()},
            grant,
            bundle,
            {c: v["level"] for c, v in known[table].items()},
        )
        for table in chosen
    }
    links = declared_links(source_url, chosen) + overlap_links(source_url, plans)
    consistent, _ = consistent_plans(plans, bundle, links)
    return consistent


OVERLAP_SAMPLE = 100  # values of a column looked up in the others
OVERLAP_SHARE = 0.8  # share of them found: the same identifier


def overlap_links(source_url: str, plans: Mapping[str, MaskPlan]) -> list[tuple[Column, Column]]:
    """Identifier columns of different tables whose sampled values are found in each other:
    a column's first ``OVERLAP_SAMPLE`` distinct values, looked up in the other column."""
    import sqlalchemy as sa
    from sqlalchemy.exc import SQLAlchemyError

    from medshield.mask.plan import REPLACEMENT_OPERATORS

    candidates = [
        (t, c.column)
        for t, p in plans.items()
        for c in p.columns
        if c.operator in REPLACEMENT_OPERATORS or (c.element or "").startswith("DE01.")
    ]
    links: list[tuple[Column, Column]] = []
    if len({t for t, _ in candidates}) < 2:
        return links
    try:
        engine = sa.create_engine(source_url)
    except (SQLAlchemyError, ImportError, ValueError):
        return links
    try:
        with engine.connect() as connection:

            def column(table: str, name: str) -> sa.ColumnClause[object]:
                owner, _, bare = table.rpartition(".")
                return sa.table(bare, sa.column(name), schema=owner or None).c[name]

            cols = {(t, c): column(t, c) for t, c in candidates}
            samples = {
                key: [
                    v
                    for (v,) in connection.execute(
                        sa.select(col).where(col.is_not(None)).distinct().limit(OVERLAP_SAMPLE)
                    )
                ]
                for key, col in cols.items()
            }
            for a in candidates:
                for b in candidates:
                    values = samples[b]
                    if a[0] == b[0] or len(values) < 5 or (b, a) in links:
                        continue
                    count = sa.func.count(sa.distinct(cols[a]))
                    found = connection.execute(
                        sa.select(count).where(cols[a].in_(values))
                    ).scalar_one()
                    if found >= OVERLAP_SHARE * len(values):
                        links.append((a, b))
    except SQLAlchemyError:
        return links  # a source that cannot be sampled still joins by element and keys
    finally:
        engine.dispose()
    return links


def declared_links(source_url: str, tables: Sequence[str]) -> list[tuple[Column, Column]]:
    """The foreign keys the source declares between ``tables``, column by column."""
    import sqlalchemy as sa
    from sqlalchemy.exc import SQLAlchemyError

    links: list[tuple[Column, Column]] = []
    try:
        engine = sa.create_engine(source_url)
    except (SQLAlchemyError, ImportError, ValueError):
        return links
    try:
        inspector = sa.inspect(engine)
        for table in tables:
            owner, _, bare = table.rpartition(".")
            for fk in inspector.get_foreign_keys(bare, schema=owner or None):
                referred = fk["referred_table"]
                if fk.get("referred_schema"):
                    referred = f"{fk['referred_schema']}.{referred}"
                pairs = zip(fk["constrained_columns"], fk["referred_columns"], strict=False)
                links += [((table, a), (referred, b)) for a, b in pairs]
    except SQLAlchemyError:
        return links  # a source that cannot list its keys still joins by element
    finally:
        engine.dispose()
    return links


def file_plan(
    path: str | Path, bundle: PolicyBundle, context: UseContext, *, sample_rows: int = 200
) -> MaskPlan:
    """The ``MaskPlan`` of a CSV or Parquet file: its columns classified from their names and
    the values of its first ``sample_rows`` rows, graded by ``bundle``."""
    from medshield.classify.classifier import ColumnClassifier, ColumnFacts
    from medshield.classify.grade import grade
    from medshield.mask.engine.files import scan_file
    from medshield.mask.plan import plan_for

    grant = grant_masking(bundle, context)
    source = Path(path)
    sample = scan_file(source).head(sample_rows).collect()
    facts = [
        ColumnFacts(
            name,
            str(sample[name].dtype),
            table=source.stem,
            values=[str(v) for v in sample[name].drop_nulls().to_list()],
        )
        for name in sample.columns
    ]
    results = ColumnClassifier().classify_many(facts)
    elements = {
        fact.name: grade(bundle, result.elements, may_embed=result.may_embed).element
        for fact, result in zip(facts, results, strict=True)
    }
    return plan_for(elements, grant, bundle)
