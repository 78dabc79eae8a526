"""Masking plans of a whole source, from its graded catalogue (scanned first if need be)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from medshield.errors import UnknownNameError
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
    The masking gate decides first: a refused context gets ``MaskingRefusedError``.
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
    return {
        table: plan_for(
            {c: v["element"] for c, v in known[table].items()},
            grant,
            bundle,
            {c: v["level"] for c, v in known[table].items()},
        )
        for table in chosen
    }


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
