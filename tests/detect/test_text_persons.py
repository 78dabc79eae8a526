"""The evaluation of names in paragraphs about one person: apart from the training sentences, and
what the running-text name model finds in it."""

from __future__ import annotations

import re

from bench.text_persons import GIVEN_NAMES, STYLES, paragraphs

from medshield.detect import find_spans
from medshield.detect.name_corpus import FRAMES

LITERAL = re.compile(r"\{\w+\}")


def test_evaluation_styles_share_no_phrase_with_the_training_frames() -> None:
    frames = "\n".join(FRAMES)
    pieces = {p for style in STYLES for p in LITERAL.split(style) if len(p) >= 4}
    assert pieces and not [p for p in pieces if p in frames]


def test_paragraph_spans_are_the_values_put_in() -> None:
    for paragraph in paragraphs(40):
        for s, e in paragraph.spans["person"]:
            name = paragraph.text[s:e]
            assert any(name.endswith(g) and 1 <= len(name) - len(g) <= 2 for g in GIVEN_NAMES)
        for s, e in paragraph.spans.get("phone", []):
            assert re.fullmatch(r"1\d{10}", paragraph.text[s:e])


def test_names_in_paragraphs_are_found_and_covered() -> None:
    found = covered = total = 0
    for paragraph in paragraphs(100, seed=7):
        got = [(f.start, f.end) for f in find_spans(paragraph.text) if f.detector == "person_name"]
        for s, e in paragraph.spans["person"]:
            total += 1
            found += any(a < e and b > s for a, b in got)
            covered += any(a <= s and b >= e for a, b in got)
    assert total > 250
    assert found / total >= 0.97 and covered / total >= 0.95
