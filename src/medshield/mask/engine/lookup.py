"""What a masked target holds: the data elements of a table a masking job wrote."""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from medshield.mask.engine.database import safe_url
from medshield.store.models.mask_jobs import MaskJob, MaskJobTable


def masked_elements(store: Engine, target_url: str, table: str) -> tuple[str, ...]:
    """The elements of ``table``'s source columns, from the newest job that wrote it."""
    from medshield.classify.report import level_map

    query = (
        select(MaskJob.source)
        .join(MaskJobTable, MaskJobTable.job_id == MaskJob.job_id)
        .where(MaskJob.target == safe_url(target_url), MaskJobTable.state == "done")
        .where(MaskJobTable.table_name.in_([table]) | MaskJobTable.table_name.endswith(f".{table}"))
        .order_by(MaskJob.created_at.desc())
    )
    with Session(store) as session:
        source = session.scalars(query).first()
        names = session.scalars(query.with_only_columns(MaskJobTable.table_name)).first()
    if source is None or names is None:
        return ()
    columns = level_map(store).get(source, {}).get(names, {})
    return tuple(sorted({str(v["element"]) for v in columns.values() if v["element"]}))
