"""Retraining the name model from the public corpora reproduces the shipped weights."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest

from medshield.detect.name_model import MODEL_FILE, dump, name_model, parse
from medshield.detect.name_train import TRAIN_FILES, train, train_from

CORPORA = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "text"


def test_perceptron_learns_a_separable_rule() -> None:
    data = [(["b", "x"], True), (["b", "y"], False)] * 3
    weights = train(data, epochs=3)
    assert weights["x"] > weights["y"]


def test_dump_and_parse_round_trip() -> None:
    model = name_model()
    again = parse(dump(model))
    assert again.weights == model.weights and again.prior == model.prior


@pytest.mark.skipif(
    not all((CORPORA / f).is_file() for f in TRAIN_FILES), reason="NER corpora not present"
)
def test_retraining_reproduces_the_shipped_model() -> None:
    shipped = files("medshield.detect").joinpath(f"data/{MODEL_FILE}").read_text("utf-8")
    body = "".join(line + "\n" for line in shipped.splitlines() if not line.startswith("#"))
    assert dump(train_from(CORPORA)) == body
