"""The scores of this release on the public corpora and the synthetic alliance, pinned: recall of
direct identifiers may not fall below them, false identifiers (the share of the other columns
taken for an identifier) may not rise above them. Raise them when the classifier gets better."""

from __future__ import annotations

from medshield.classify.evaluate import Scores

# (corpus, sampled rows) -> (recall at least, false identifiers at most)
FLOORS: dict[tuple[str, int], tuple[float, float]] = {
    ("mimic-iv", 0): (1.0, 0.0033),  # 26 of 26; 1 of 316
    ("mimic-iii", 0): (1.0, 0.0034),  # 21 of 21; 1 of 303
    ("omop-cdm-5.4", 0): (0.958, 0.0026),  # 23 of 24; 1 of 408
    ("zh-his", 0): (1.0, 0.0),  # 18 of 18; 0 of 366
    ("zh-his", 100): (1.0, 0.0),
    ("synthetic", 0): (1.0, 0.0122),  # 240 of 240; 12 of 996
    ("synthetic", 100): (1.0, 0.0011),  # random rows: at most one column of 996
}


def assert_floor(corpus: str, sample: int, scores: Scores) -> None:
    recall, false_rate = FLOORS[(corpus, sample)]
    assert scores.recall >= recall, (corpus, sample, scores.recall, scores.misses)
    assert scores.false_rate <= false_rate, (corpus, sample, scores.false_rate, scores.misses)
