"""Releasing the records of one API call (R17, R22, R25): take the rows of its source, check them
against its request, keep only the fields in scope, mask them for the caller, and inspect the
result before it leaves. Any failed check blocks the whole response (fail closed)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from medshield.errors import ResponseBlockedError, ScopeError
from medshield.mask.aggregate import aggregate_release
from medshield.mask.dynamic import compiled_plan
from medshield.mask.operators.base import MaskContext
from medshield.policy.bundle import PolicyBundle
from medshield.policy.context import UseContext
from medshield.policy.schema import ApiDef
from medshield.service.inspect import check_patient, check_schema, unmasked_identifiers
from medshield.service.scope import FieldScope
from medshield.service.sources import SourceRows


@dataclass(frozen=True)
class Release:
    records: list[dict[str, Any]]
    rows: int  # records returned
    under_control: int  # records with at least one field masked or aggregated
    suppressed_groups: int = 0


def patient_param(api: ApiDef) -> str | None:
    return next((p.name for p in api.params if p.patient), None)


def release_records(
    bundle: PolicyBundle,
    rows: SourceRows,
    api: ApiDef,
    scope: FieldScope,
    params: Mapping[str, Any],
    mask_context: MaskContext,
) -> Release:
    """The masked, inspected records of one call from the ``rows`` its source gave;
    ``ResponseBlockedError`` when a check fails."""
    check_schema(rows, scope.released)
    patient = patient_param(api)
    if patient is not None:
        if api.patient_column is None:
            raise ResponseBlockedError(
                "a one-patient API must name its patient column", where=api.id
            )
        check_patient(rows, api.patient_column, str(params[patient]))
    columns, context = scope.columns, scope.context
    if api.aggregate is not None:
        return _aggregate(bundle, api, rows, columns, context, mask_context)
    plan = compiled_plan(columns, context, bundle, mask_context)
    records = plan.apply_rows(rows.index, rows.rows, scope.released)
    controlled = len(plan.keep) < len(columns)
    _inspect(records, api)
    return Release(records, len(records), len(records) if controlled else 0)


def _aggregate(
    bundle: PolicyBundle,
    api: ApiDef,
    rows: SourceRows,
    columns: Mapping[str, str | None],
    context: UseContext,
    mask_context: MaskContext,
) -> Release:
    assert api.aggregate is not None
    needed = (*api.aggregate.group_by, *api.aggregate.measures)
    if any(name not in columns for name in needed):
        raise ScopeError("an aggregate API releases its groups and measures together", where=api.id)
    index = rows.index
    frame = pl.DataFrame(
        {name: [row[index[name]] for row in rows.rows] for name in needed},
        schema_overrides=dict.fromkeys(api.aggregate.measures, pl.Float64),
    )
    result = aggregate_release(
        frame,
        columns,
        group_by=api.aggregate.group_by,
        measures=api.aggregate.measures,
        context=context,
        bundle=bundle,
        mask_context=mask_context,
    )
    records = result.table.to_dicts()
    _inspect(records, api)
    return Release(records, len(records), len(records), result.suppressed_groups)


def _inspect(records: list[dict[str, Any]], api: ApiDef) -> None:
    found = unmasked_identifiers(records)
    if found:
        raise ResponseBlockedError(
            f"unmasked identifier in the response ({', '.join(found)}): blocked", where=api.id
        )
