"""Released statistics against the pooled data: within the stated DP error bound."""

from __future__ import annotations

import polars as pl

from medshield.federated import Federation, Hub
from medshield.federated.kinds import kind_of
from medshield.federated.local import LocalDatabase

from .conftest import local_databases


def _pooled_ages(federation: Federation) -> pl.Series:
    frames = []
    for db in local_databases(federation).values():
        table = db.table("patient")
        column = db.style.column_name(next(c for c in _patient_columns() if c.key == "age"))
        frames.append(pl.read_database(f"SELECT {column} AS age FROM {table.physical}", db.engine))
    return pl.concat(frames)["age"]


def _patient_columns():  # type: ignore[no-untyped-def]
    from medshield.synth.schema import TABLES

    return next(t for t in TABLES if t.key == "patient").columns


def test_a_mean_over_all_patients_equals_the_pooled_mean_within_the_bound(
    hub: Hub, federation: Federation
) -> None:
    ages = _pooled_ages(federation).clip(0, 110)
    aggregate = hub.collect("patient_age_mean", "researcher-mean")
    assert aggregate.total == [ages.len(), int(ages.sum())]  # exact before the noise
    kind = kind_of("mean")
    usual = kind.release(aggregate.template, aggregate.total, 0.95)
    assert usual.error_bound is not None and 0 < usual.error_bound < 0.3 * ages.mean()
    # the bound holds with its stated confidence: checked at 1 - 1e-6 so a failure is a real error
    release = kind.release(aggregate.template, aggregate.total, 0.999999)
    assert release.error_bound is not None
    assert abs(release.value - ages.mean()) <= release.error_bound


def test_the_noise_is_really_applied(hub: Hub) -> None:
    aggregate = hub.collect("patient_age_sum", "researcher-noise")
    kind = kind_of("sum")
    releases = [kind.release(aggregate.template, aggregate.total, 0.95).value for _ in range(40)]
    # Fresh noise every release: rounded values may repeat by chance, an unnoised sum never varies.
    assert len(set(releases)) >= 30
    assert sum(value != float(aggregate.total[0]) for value in releases) >= 35


def test_histogram_crosstab_and_quantiles_add_up_over_the_nodes(
    hub: Hub, federation: Federation
) -> None:
    databases: dict[str, LocalDatabase] = local_databases(federation)
    for key in ("patient_age_histogram", "patient_gender_by_insurance", "patient_age_quantiles"):
        aggregate = hub.collect(key, "researcher-shapes")
        kind = kind_of(aggregate.template.kind)
        local = [kind.measure(aggregate.template, db) for db in databases.values()]
        assert aggregate.total == [sum(col) for col in zip(*local, strict=True)]
    count = hub.collect("patient_count", "researcher-shapes").total[0]
    histogram = hub.collect("patient_age_histogram", "researcher-shapes").total
    assert sum(histogram) == count  # every patient falls in one bin, the top edge included
    crosstab = hub.collect("patient_gender_by_insurance", "researcher-shapes")
    release = kind_of("crosstab").release(crosstab.template, crosstab.total, 0.95)
    shown = [v for v in release.value.values() if v is not None]
    assert all(v >= crosstab.template.min_group for v in shown)
    assert release.suppressed == len(release.value) - len(shown)
