"""Training of the name model: an averaged perceptron over the name candidates of sentences whose
person-name spans are known.

The shipped weights are trained on the project's own sentences only (``name_corpus.py``: frames
written for medshield, names from the synthetic population's vocabulary, words and terms of the
shipped lists) and on the medical terms of the shipped dictionary, added as sentences without
names so the model learns that 高血压 or 白术 starts with a surname and is no person. The public
NER corpora (CLUENER2020, Resume NER: research use only; Weibo NER: share-alike annotations over
text under Weibo's terms) are not trained on; ``train_from`` reads them for comparison only.

A candidate is positive when it is exactly a gold person span. The sentences are drawn from a
seeded generator and nothing else is random, so training twice gives the same weights to the last
digit (the test ``tests/detect/test_name_train.py`` checks it against the shipped file).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from medshield.detect import name_corpus
from medshield.detect.name_model import HAN, NameModel, candidates, features
from medshield.detect.names import surnames
from medshield.detect.ner_corpora import PERSON, Sentence, read
from medshield.detect.scan import NORMAL
from medshield.detect.terms import term_index

# training splits of the public corpora, for comparison only (never shipped): their dev and test
# splits are kept for measuring
TRAIN_FILES = (
    "zh_cluener2020_train.jsonl",
    "zh_resume_ner_train.bio",
    "zh_weibo_ner_train.bio",
)
EPOCHS = 10
SMOOTH = 0.5
CONTEXT = str.maketrans({"\t": " "}) | str.maketrans(NORMAL)


def given_prior(sentences: Iterable[Sentence]) -> dict[str, float]:
    """Log-odds of each character being a given-name character of a gold name (after its
    surname) rather than any character of the text, within +-3, one decimal."""
    table = surnames()
    in_names: Counter[str] = Counter()
    in_text: Counter[str] = Counter()
    for sentence in sentences:
        in_text.update(c for c in sentence.text if HAN.fullmatch(c))
        for s, e in sentence.spans.get(PERSON, []):
            name = sentence.text[s:e]
            surname = table.split(name)
            if surname is not None and 1 <= len(name) - len(surname) <= 2:
                in_names.update(name[len(surname) :])
    share = (sum(in_names.values()) or 1) / (sum(in_text.values()) or 1)
    # observed over expected count in names, both with SMOOTH added: a character seen little
    # stays near 0 instead of swinging to an extreme
    return {
        c: round(
            max(-3.0, min(3.0, math.log((in_names[c] + SMOOTH) / (count * share + SMOOTH)))), 1
        )
        for c, count in in_text.items()
        if count >= 2
    }


def examples(
    sentences: Iterable[Sentence], prior: dict[str, float]
) -> list[tuple[list[str], bool]]:
    """(features, is a name) of every candidate of every sentence."""
    table = surnames()
    index = term_index()
    out: list[tuple[list[str], bool]] = []
    for sentence in sentences:
        text = sentence.text.translate(CONTEXT)
        gold = set(sentence.spans.get(PERSON, []))
        covered = index.covered(text)
        for c in candidates(text, table):
            in_term = any(covered[c.start : c.end])
            out.append((features(text, c, in_term, prior), (c.start, c.end) in gold))
    return out


def term_sentences() -> list[Sentence]:
    """Every shipped term that holds a surname, as a sentence without names."""
    table = surnames().single
    return [
        Sentence(text)
        for text in sorted(term_index().by_text)
        if len(text) >= 2 and any(c in table for c in text)
    ]


def train(data: list[tuple[list[str], bool]], epochs: int = EPOCHS) -> dict[str, float]:
    """Averaged perceptron: weights move on each mistake, the average over all steps is kept."""
    weights: dict[str, float] = {}
    totals: dict[str, float] = {}  # sum of (step of the update * update), for the average
    step = 1
    for _ in range(epochs):
        for feats, positive in data:
            score = sum(weights.get(f, 0.0) for f in feats)
            if (score > 0) != positive:
                delta = 1.0 if positive else -1.0
                for f in feats:
                    weights[f] = weights.get(f, 0.0) + delta
                    totals[f] = totals.get(f, 0.0) + step * delta
            step += 1
    return {f: w - totals[f] / step for f, w in weights.items()}


def train_on(sentences: list[Sentence]) -> NameModel:
    """The model trained on ``sentences`` and the shipped terms."""
    prior = given_prior(sentences)
    return NameModel(train(examples([*sentences, *term_sentences()], prior)), prior)


def train_shipped() -> NameModel:
    """The shipped model: trained on the project's own sentences and the shipped terms only."""
    return train_on(list(name_corpus.sentences()))


def train_from(corpora: Path, files: Iterable[str] = TRAIN_FILES) -> NameModel:
    """A model trained on the named files of a corpus directory (with the project's sentences and
    the shipped terms), to compare with the shipped one; research-only corpora must not ship."""
    sentences = list(name_corpus.sentences())
    for name in files:
        sentences.extend(read(corpora / name))
    return train_on(sentences)
