"""Aggregate-only release (R22): analysis without detail gets statistics only.

Group columns are masked by the plan first (ID numbers and ages become bands, addresses are
cut), measures give count, mean, min, max and sum, and groups smaller than the policy's
``privacy.aggregate_min_group`` are suppressed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import polars as pl

from medshield.errors import InputError
from medshield.mask.operators import apply_operator
from medshield.mask.operators.base import MaskContext
from medshield.mask.plan import plan_for
from medshield.policy.bundle import PolicyBundle
from medshield.policy.context import Form, UseContext
from medshield.policy.grant import grant_masking

STATISTICS = ("mean", "min", "max", "sum")


@dataclass(frozen=True)
class AggregateRelease:
    table: pl.DataFrame  # group columns, n, <measure>_<statistic>
    suppressed_groups: int
    min_group: int
    policy_version: str


def aggregate_release(
    frame: pl.DataFrame,
    columns: Mapping[str, str | None],
    *,
    group_by: Sequence[str],
    measures: Sequence[str],
    context: UseContext,
    bundle: PolicyBundle,
    mask_context: MaskContext,
) -> AggregateRelease:
    """Statistics of ``measures`` per masked group of ``group_by``; small groups suppressed.

    The masking gate decides first: a refused context gets ``MaskingRefusedError``."""
    use = replace(context, form=Form.AGGREGATED)
    grant = grant_masking(bundle, use)
    for name in (*group_by, *measures):
        if name not in frame.columns:
            raise InputError(f"no column {name!r} in the data", where=name)
    for name in measures:
        if not frame[name].dtype.is_numeric():
            raise InputError(f"measure {name!r} is not numeric", where=name)
    plan = plan_for({c: columns.get(c) for c in group_by}, grant, bundle)
    ops = plan.operators(mask_context)
    grouped = frame.with_columns(apply_operator(ops[c], frame, c).alias(c) for c in group_by)
    stats = [pl.len().alias("n")]
    for m in measures:
        col = pl.col(m)
        stats += [col.mean().alias(f"{m}_mean"), col.min().alias(f"{m}_min")]
        stats += [col.max().alias(f"{m}_max"), col.sum().alias(f"{m}_sum")]
    if group_by:
        table = grouped.group_by(list(group_by)).agg(stats).sort(list(group_by), nulls_last=True)
    else:
        table = grouped.select(stats)
    k = bundle.meta.privacy.aggregate_min_group
    kept = table.filter(pl.col("n") >= k)
    return AggregateRelease(kept, table.height - kept.height, k, bundle.version)
