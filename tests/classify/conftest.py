"""Fixtures of the classification tests: the public schemas loaded into real databases, and a
small synthetic alliance."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import create_engine

from medshield.classify import ColumnClass, ColumnClassifier, ColumnFacts
from medshield.classify.ddl import load_schema, run_dump
from medshield.classify.evaluate import Label
from medshield.classify.sampling import Sampling, sample_table
from medshield.classify.scan import list_tables, open_source

LABELS = Path(__file__).parent / "labels"
SCHEMA_FILES = {
    "mimic-iv": "mimic-iv_postgres_create.sql",
    "mimic-iii": "mimic-iii_postgres_create_tables.sql",
    "omop-cdm-5.4": "omop_cdm_5.4_postgresql_ddl.sql",
}
HIS_FILE = "zh_ZainZhao-HIS_his.sql"


def read_labels(name: str, url: str) -> dict[str, Label]:
    with (LABELS / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return {
            f"{url}|{r['table']}.{r['column']}": Label(r["element"], r["identifier"])
            for r in csv.DictReader(handle)
        }


def load_ddl_schema(shared_corpora: Path, name: str, url: str) -> None:
    sql = (shared_corpora / "schemas" / SCHEMA_FILES[name]).read_text(encoding="utf-8")
    load_schema(create_engine(url), sql.replace("@cdmDatabaseSchema.", ""), read="postgres")


def load_his(shared_corpora: Path, url: str) -> None:
    engine = create_engine(url)
    run_dump(engine, (shared_corpora / "schemas" / HIS_FILE).read_text(encoding="utf-8"))
    engine.dispose()


def classify_databases(
    urls: Iterable[str], *, sample: int, sampling: Sampling
) -> dict[str, ColumnClass]:
    """Every column of the databases at ``urls`` classified, keyed ``url|table.column``; by
    names and comments only when ``sample`` is 0, else also by ``sample`` values a table."""
    facts: dict[str, ColumnFacts] = {}
    for url in urls:
        engine = open_source(url)
        for t in list_tables(engine):
            _, values = sample_table(engine, t, sample, sampling) if sample else (0, {})
            for c in t.columns:
                facts[f"{url}|{t.name}.{c.name}"] = ColumnFacts(
                    c.name, c.type, c.comment, t.name, t.comment, values.get(c.name, ())
                )
        engine.dispose()
    keys = list(facts)
    results = ColumnClassifier().classify_many([facts[k] for k in keys], use_values=bool(sample))
    return dict(zip(keys, results, strict=True))


@pytest.fixture(scope="session")
def alliance(tmp_path_factory: pytest.TempPathFactory) -> object:
    """A small synthetic alliance on SQLite: six vendor styles, with ground truth."""
    from medshield.policy import load_bundle
    from medshield.synth import build_alliance

    out = tmp_path_factory.mktemp("alliance")
    return build_alliance(out, bundle=load_bundle(), patients=150, seed=5)


@pytest.fixture
def corpus(shared_corpora: Path) -> SimpleNamespace:
    """Loading the public schemas and reading their labels: ``load_ddl(name, url)``,
    ``load_his(url)``, ``labels(name, url)``."""
    return SimpleNamespace(
        load_ddl=lambda name, url: load_ddl_schema(shared_corpora, name, url),
        load_his=lambda url: load_his(shared_corpora, url),
        labels=read_labels,
    )
