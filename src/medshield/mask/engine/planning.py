"""Masking plans of a whole source, from its graded catalogue (scanned first if need be)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from medshield.errors import UnknownNameError
from medshield.policy import PolicyBundle, UseContext

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
    """
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
        table: plan_for({c: v["element"] for c, v in known[table].items()}, context, bundle)
        for table in chosen
    }
