"""The classifier on the synthetic alliance: every vendor naming style, against its ground truth."""

from __future__ import annotations

import csv
from typing import Any

from medshield.classify import ColumnClassifier, ColumnFacts
from medshield.classify.evaluate import Label, score
from medshield.classify.sampling import Sampling, sample_table
from medshield.classify.scan import list_tables, open_source
from medshield.policy import load_bundle


def _truth(alliance: Any) -> dict[str, Label]:
    with open(alliance.ground_truth, encoding="utf-8", newline="") as handle:
        return {
            f"{r['database']}|{r['table']}.{r['column']}": Label(
                r["element"], r["identifier"], r["level"]
            )
            for r in csv.DictReader(handle)
        }


def _predict(alliance: Any, sample: int) -> dict[str, Any]:
    facts: dict[str, ColumnFacts] = {}
    for url in alliance.databases.values():
        engine = open_source(url)
        for t in list_tables(engine):
            _, values = sample_table(engine, t, sample, Sampling.RANDOM) if sample else (0, {})
            for c in t.columns:
                facts[f"{url}|{t.name}.{c.name}"] = ColumnFacts(
                    c.name, c.type, c.comment, t.name, t.comment, values.get(c.name, ())
                )
        engine.dispose()
    keys = list(facts)
    out = ColumnClassifier().classify_many([facts[k] for k in keys], use_values=bool(sample))
    return dict(zip(keys, out, strict=True))


def test_every_style_is_covered(alliance: Any) -> None:
    assert len(set(alliance.styles.values())) >= 6


def test_names_and_comments_only(alliance: Any) -> None:
    result = score(load_bundle(), _predict(alliance, 0), _truth(alliance))
    assert result.f1 >= 0.9, result.misses
    assert result.level_accuracy >= 0.9


def test_with_sampled_values(alliance: Any) -> None:
    result = score(load_bundle(), _predict(alliance, 100), _truth(alliance))
    assert result.f1 >= 0.95, result.misses
    assert result.level_accuracy >= 0.9
