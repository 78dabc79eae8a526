"""The classifier on labelled public schemas (read from ../shared/corpora, never copied)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from medshield.classify import ColumnClass
from medshield.classify.evaluate import score
from medshield.classify.sampling import Sampling
from medshield.classify.scan import list_tables, open_source
from medshield.policy import load_bundle

from .conftest import classify_databases
from .floors import assert_floor


def _classify(url: str, *, sample: int) -> dict[str, ColumnClass]:
    return classify_databases([url], sample=sample, sampling=Sampling.FIRST)


@pytest.mark.parametrize("name", ["mimic-iv", "mimic-iii", "omop-cdm-5.4"])
def test_public_schemas_by_names_only(name: str, corpus: SimpleNamespace, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'schema.db'}"
    corpus.load_ddl(name, url)
    labels = corpus.labels(name, url)
    predictions = _classify(url, sample=0)
    assert set(predictions) == set(labels)  # the labels cover every column
    result = score(load_bundle(), predictions, labels)  # type: ignore[arg-type]
    assert result.f1 >= 0.85, result.misses
    assert_floor(name, 0, result)


@pytest.mark.postgres
def test_schemas_of_postgres_are_scanned(corpus: SimpleNamespace, postgres_url: str) -> None:
    corpus.load_ddl("mimic-iv", postgres_url)
    engine = open_source(postgres_url)
    tables = {t.qualified for t in list_tables(engine)}
    engine.dispose()
    assert {"mimiciv_hosp.patients", "mimiciv_icu.icustays"} <= tables
    predictions = _classify(postgres_url, sample=0)
    (subject,) = [p for k, p in predictions.items() if k.endswith("|patients.subject_id")]
    assert subject.element == "DE01.00.001.00"  # type: ignore[attr-defined]


@pytest.mark.mariadb
@pytest.mark.slow
def test_teaching_his_in_mariadb(corpus: SimpleNamespace, mariadb_url: str) -> None:
    corpus.load_his(mariadb_url)
    labels = corpus.labels("zh-his", mariadb_url)
    bundle = load_bundle()
    names_only = score(bundle, _classify(mariadb_url, sample=0), labels)  # type: ignore[arg-type]
    with_values = score(bundle, _classify(mariadb_url, sample=100), labels)  # type: ignore[arg-type]
    assert names_only.f1 >= 0.85, names_only.misses
    assert with_values.f1 >= 0.85, with_values.misses
    assert with_values.recall >= names_only.recall - 0.1
    assert_floor("zh-his", 0, names_only)
    assert_floor("zh-his", 100, with_values)
