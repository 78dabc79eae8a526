"""The watermark names the recipient of a leaked CSV, after re-sorting and dropping rows."""

from __future__ import annotations

import csv
import io
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medshield.errors import WatermarkError
from medshield.share import identify, mark_csv, score_candidates

from .visits import visits_csv

KEYS = {f"h{i}-office": bytes([i]) * 32 for i in range(1, 9)}


def _parse(text: str) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(text)))
    return rows[0], rows[1:]


def _write(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return out.getvalue()


def _visible(text: str) -> str:
    return text.replace("\u200b", "").replace("\u200c", "")


def test_marks_are_invisible_and_keep_every_value() -> None:
    original = visits_csv()
    marked = mark_csv(original, KEYS["h3-office"])
    (h0, r0), (h1, r1) = _parse(original), _parse(marked)
    assert h0 == h1 and len(r0) == len(r1)
    for a, b in zip(r0, r1, strict=True):
        assert a[0] == b[0] and a[6] == b[6]  # integers and dates untouched
        assert [_visible(x) for x in a[1:4]] == [_visible(x) for x in b[1:4]]
        assert float(a[4]) == float(b[4]) and float(a[5]) == float(b[5])
    assert marked != original


@pytest.mark.parametrize("recipient", sorted(KEYS))
def test_a_resorted_half_copy_names_its_recipient(recipient: str) -> None:
    marked = mark_csv(visits_csv(), KEYS[recipient])
    header, rows = _parse(marked)
    rng = random.Random(recipient)
    kept = rng.sample(rows, len(rows) // 2)
    kept.sort(key=lambda r: (r[3], _visible(r[1])), reverse=True)  # re-sorted by diagnosis
    verdict = identify(_write(header, kept), KEYS)
    assert verdict.recipient == recipient
    others = score_candidates(_write(header, kept), KEYS)[1:]
    assert all(v.agreement < 0.8 for v in others)


def test_a_small_leak_still_names_its_recipient() -> None:
    header, rows = _parse(mark_csv(visits_csv(), KEYS["h5-office"]))
    assert identify(_write(header, rows[:40]), KEYS).recipient == "h5-office"


def test_an_unmarked_or_stripped_copy_names_nobody() -> None:
    with pytest.raises(WatermarkError):
        identify(visits_csv(), KEYS)
    with pytest.raises(WatermarkError):
        identify(mark_csv(visits_csv(), b"\x99" * 32), KEYS)  # someone else's mark


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000), keep=st.floats(0.2, 1.0), recipient=st.sampled_from(sorted(KEYS))
)
def test_any_shuffled_subset_names_its_recipient(seed: int, keep: float, recipient: str) -> None:
    header, rows = _parse(mark_csv(visits_csv(), KEYS[recipient]))
    rng = random.Random(seed)
    kept = rng.sample(rows, max(1, int(len(rows) * keep)))
    rng.shuffle(kept)
    assert identify(_write(header, kept), KEYS).recipient == recipient
