"""What a masked target holds: the data elements of a table a masking job wrote, and the plan
the job masked it by (rebuilt from the catalogue, the job's role and scenario)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from medshield.mask.engine.database import safe_url
from medshield.store.models.mask_jobs import MaskJob, MaskJobTable

if TYPE_CHECKING:
    from medshield.mask.plan import MaskPlan
    from medshield.policy import PolicyBundle


def masked_elements(store: Engine, target_url: str, table: str) -> tuple[str, ...]:
    """The elements of ``table``'s source columns, from the newest job that wrote it."""
    _, columns = _job_columns(store, target_url, table)
    return tuple(sorted({str(v["element"]) for v in columns.values() if v["element"]}))


def job_plan(store: Engine, target_url: str, table: str, bundle: PolicyBundle) -> MaskPlan | None:
    """The plan the newest job that wrote ``table`` masked it by, planned again under
    ``bundle`` through the masking gate; None when no job wrote it."""
    from medshield.mask.plan import plan_for
    from medshield.policy import Form, Stage, UseContext, grant_masking

    job, columns = _job_columns(store, target_url, table)
    if job is None or not columns:
        return None
    use = UseContext(form=Form.MASKED, stage=Stage.SHARE, role=job.role, scenario=job.scenario)
    elements = {c: v["element"] for c, v in columns.items()}
    levels = {c: v["level"] for c, v in columns.items()}
    return plan_for(elements, grant_masking(bundle, use), bundle, levels)


def _job_columns(
    store: Engine, target_url: str, table: str
) -> tuple[MaskJob | None, dict[str, dict[str, Any]]]:
    from medshield.classify.report import level_map

    query = (
        select(MaskJob.source)
        .join(MaskJobTable, MaskJobTable.job_id == MaskJob.job_id)
        .where(MaskJob.target == safe_url(target_url), MaskJobTable.state == "done")
        .where(MaskJobTable.table_name.in_([table]) | MaskJobTable.table_name.endswith(f".{table}"))
        .order_by(MaskJob.created_at.desc())
    )
    with Session(store, expire_on_commit=False) as session:
        source = session.scalars(query).first()
        names = session.scalars(query.with_only_columns(MaskJobTable.table_name)).first()
        job = session.scalars(query.with_only_columns(MaskJob)).first()
    if source is None or names is None:
        return None, {}
    return job, dict(level_map(store).get(source, {}).get(names, {}))
