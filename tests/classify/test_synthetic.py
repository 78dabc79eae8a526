"""The classifier on the synthetic alliance: every vendor naming style, against its ground truth."""

from __future__ import annotations

import csv
from typing import Any

from medshield.classify import ColumnClass
from medshield.classify.evaluate import Label, score
from medshield.classify.sampling import Sampling
from medshield.policy import load_bundle

from .conftest import classify_databases
from .floors import assert_floor


def _truth(alliance: Any) -> dict[str, Label]:
    with open(alliance.ground_truth, encoding="utf-8", newline="") as handle:
        return {
            f"{r['database']}|{r['table']}.{r['column']}": Label(
                r["element"], r["identifier"], r["level"]
            )
            for r in csv.DictReader(handle)
        }


def _predict(alliance: Any, sample: int) -> dict[str, ColumnClass]:
    return classify_databases(alliance.databases.values(), sample=sample, sampling=Sampling.RANDOM)


def test_every_style_is_covered(alliance: Any) -> None:
    assert len(set(alliance.styles.values())) >= 6


def test_names_and_comments_only(alliance: Any) -> None:
    result = score(load_bundle(), _predict(alliance, 0), _truth(alliance))
    assert result.f1 >= 0.9, result.misses
    assert result.level_accuracy >= 0.9
    assert_floor("synthetic", 0, result)


def test_with_sampled_values(alliance: Any) -> None:
    result = score(load_bundle(), _predict(alliance, 100), _truth(alliance))
    assert result.f1 >= 0.95, result.misses
    assert result.level_accuracy >= 0.9
    assert_floor("synthetic", 100, result)
