"""Fixtures of the classification tests: the public schemas loaded into real databases, and a
small synthetic alliance."""

from __future__ import annotations

import csv
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import create_engine

from medshield.classify.ddl import load_schema, run_dump
from medshield.classify.evaluate import Label

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
