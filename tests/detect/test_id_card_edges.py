"""The ID detector's date and masked-token rules at their edges (known answers)."""

from __future__ import annotations

from datetime import date

import pytest

from medshield.detect.id_card import birth_ok, check_char, score_clean, score_masked

TODAY = date(2026, 3, 1)


@pytest.mark.parametrize(
    ("yyyymmdd", "ok"),
    [
        ("19000101", True),  # the first year accepted
        ("18991231", False),
        ("20260301", True),  # born today
        ("20260302", False),  # born tomorrow
        ("20230231", False),  # no such day
        ("19491301", False),  # no such month
    ],
)
def test_birth_dates_at_their_edges(yyyymmdd: str, ok: bool) -> None:
    assert birth_ok(yyyymmdd, TODAY) is ok


@pytest.mark.parametrize(
    ("token", "evidence"),
    [
        # 18 characters: the check character X is a digit of value 10, not a mask
        ("110105********002X", "masked ID, 8 of 18 covered, region prefix 110105 kept"),
        ("110105xxxxxxxx002X", "masked ID, 8 of 18 covered, region prefix 110105 kept"),
        ("110105********002*", "masked ID, 9 of 18 covered, region prefix 110105 kept"),
        ("1101051949123****X", "masked ID, 4 of 18 covered, region prefix 110105 kept"),
        # 15 characters: every position may be covered, also the last
        ("110105123XXXXXX", "masked ID, 6 of 15 covered, region prefix 110105 kept"),
        ("***************", "masked ID, 15 of 15 covered, fully covered"),
    ],
)
def test_covered_positions_are_counted_exactly(token: str, evidence: str) -> None:
    """The count in the evidence is the count of covered positions. (The last position of a
    15-character token was counted twice, "16 of 15 covered", until this test.)"""
    found = score_masked(token)
    assert found is not None
    assert found[1] == evidence


def test_three_covered_positions_are_not_a_masked_id() -> None:
    assert score_masked("11010519491231***X") is None


def test_the_check_character_needs_exactly_seventeen_digits() -> None:
    assert check_char("11010519491231002") == "X"
    with pytest.raises(ValueError):
        check_char("1101051949123100")
    with pytest.raises(ValueError):
        check_char("110105194912310021")


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("11010519491231002X", (0.97, "ID checksum ok, region 110105")),
        ("110105194912310021", (0.3, "ID checksum mismatch, region 110105")),
        ("110105491231002", (0.8, "15-digit legacy ID, region 110105")),
        ("990105491231002", None),  # no such region, a valid birth date
        ("110105491331002", None),  # a known region, no such birth date
        ("1101054912310021", None),  # 16 digits: neither form
    ],
)
def test_unmasked_ids_score_exactly(token: str, expected: tuple[float, str] | None) -> None:
    assert score_clean(token, TODAY) == expected


@pytest.mark.parametrize(
    ("token", "why"),
    [
        ("0*****************", "a one-digit prefix 0 is no province"),
        ("9*****************", "a one-digit prefix 9 is no province"),
        ("19****************", "a two-digit prefix that is no province"),
        ("990105********002*", "a region prefix in no province"),
    ],
)
def test_a_masked_token_with_an_impossible_prefix_is_not_an_id(token: str, why: str) -> None:
    """Killed mutants: `or` for `and` between the two prefix tests, `> 2` or `>= 3` for `>= 2`,
    and either letter of ("0", "9") changed."""
    assert score_masked(token) is None, why


@pytest.mark.parametrize(
    ("token", "confidence"),
    [
        ("110105********002*", 0.9),  # the region is kept: a strong sign of a masked ID
        ("1*****************", 0.9),  # one digit of a possible province kept
        ("******************", 0.6),  # fully covered: only the shape says ID
    ],
)
def test_a_kept_prefix_raises_the_confidence(token: str, confidence: float) -> None:
    found = score_masked(token)
    assert found is not None and found[0] == confidence


@pytest.mark.parametrize(
    ("token", "in_text", "column"),
    [
        # an unknown region of a known province (11): reported only in free text, lower
        ("119999194912310021", (0.7, "ID-shaped, checksum ok, province 11"), None),
        ("119999194912310022", (0.55, "ID-shaped, checksum mismatch, province 11"), None),
        ("119999491231002", (0.55, "15-digit legacy ID-shaped, province 11"), None),
        # no province at all: not even in text
        ("999999194912310021", None, None),
        ("999999491231002", None, None),
    ],
)
def test_ids_of_an_unknown_region_score_exactly_in_text_and_not_in_a_column(
    token: str, in_text: tuple[float, str] | None, column: None
) -> None:
    assert score_clean(token, TODAY, in_text=True) == in_text
    assert score_clean(token, TODAY) == column


def test_the_detector_scores_each_hit_exactly_and_reads_past_what_it_skips() -> None:
    """Whole values get +0.02 and an ID label +0.05 (capped at 1); a token of no ID form or no
    score is skipped and the scan goes on to the next value."""
    from medshield.detect.id_card import ChineseIdDetector

    values = [
        "1101051949123100",  # 16 digits: no ID form
        "999999194912310021",  # no province: no score
        "11010519491231002X",  # valid, the whole value
        "ID 110105********002*",  # masked, inside a longer value
    ]
    detector = ChineseIdDetector()
    plain = [(f.index, f.start, f.end, f.confidence, f.masked) for f in detector.detect(values)]
    assert plain == [(2, 0, 18, 0.99, False), (3, 3, 21, 0.9, True)]
    labelled = [(f.index, f.confidence) for f in detector.detect(values, label="身份证号")]
    assert labelled == [(2, 1.0), (3, 0.95)]
    [inside] = detector.find_in_text("患者身份证11010519491231002X，电话")
    assert (inside.start, inside.end, inside.confidence) == (5, 23, 0.97)
