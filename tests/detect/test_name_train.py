"""Retraining the name model from the project's own sentences reproduces the shipped weights, and
those sentences hold no third-party text."""

from __future__ import annotations

from importlib.resources import files

from medshield.detect import name_corpus
from medshield.detect.name_model import MODEL_FILE, dump, name_model, parse
from medshield.detect.name_train import train, train_shipped
from medshield.detect.ner_corpora import PERSON


def test_perceptron_learns_a_separable_rule() -> None:
    data = [(["b", "x"], True), (["b", "y"], False)] * 3
    weights = train(data, epochs=3)
    assert weights["x"] > weights["y"]


def test_dump_and_parse_round_trip() -> None:
    model = name_model()
    again = parse(dump(model))
    assert again.weights == model.weights and again.prior == model.prior


def test_training_sentences_are_seeded_and_their_spans_are_names() -> None:
    first = list(name_corpus.sentences(200))
    assert first == list(name_corpus.sentences(200))
    assert first != list(name_corpus.sentences(200, seed=1))
    spans = [(s.text, a, b) for s in first for a, b in s.spans.get(PERSON, [])]
    assert len(spans) > 100
    assert all(2 <= b - a <= 4 and text[a] not in "，。、" for text, a, b in spans)
    assert any(not s.spans for s in first)  # sentences without names teach what is no name


def test_retraining_reproduces_the_shipped_model() -> None:
    shipped = files("medshield.detect").joinpath(f"data/{MODEL_FILE}").read_text("utf-8")
    body = "".join(line + "\n" for line in shipped.splitlines() if not line.startswith("#"))
    assert dump(train_shipped()) == body
