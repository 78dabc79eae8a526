"""Names in the naming styles of real HIS vendors, each with the element it must get."""

import pytest

from medshield.classify.lexicon import load_lexicon

PATIENT = frozenset({"patient"})
CASES = [
    # English snake_case and CamelCase
    ("patient_name", PATIENT, "DE02.01.039.00"),
    ("PatientName", PATIENT, "DE02.01.039.00"),
    ("id_card_no", PATIENT, "DE02.01.030.00"),
    ("IdNo", PATIENT, "DE02.01.030.00"),
    ("home_address", PATIENT, "DE02.01.009.00"),
    ("mobile_phone", PATIENT, "DE02.01.010.00"),
    ("date_of_birth", PATIENT, "DE02.01.005.01"),
    ("subject_id", frozenset(), "DE01.00.001.00"),
    ("bank_card_amount", frozenset(), "DE07.00.010.00"),  # the head noun decides
    ("drug_id", frozenset(), "DE99.00.002.00"),  # a key of another table
    ("name", frozenset({"staff"}), "DE02.01.039.02"),
    ("name", frozenset({"department"}), "DE08.10.026.00"),
]
PINYIN = [
    ("sfzh", "DE02.01.030.00"),
    ("brxm", "DE02.01.039.00"),
    ("lxdh", "DE02.01.010.00"),
    ("csrq", "DE02.01.005.01"),
    ("xb", "DE02.01.040.00"),
    ("jtzz", "DE02.01.009.00"),
    ("mzh", "DE01.00.010.00"),
    ("zyh", "DE01.00.014.00"),
    ("kfys", "DE02.01.039.02"),  # 开方医生: some doctor
]


@pytest.mark.parametrize(("name", "ctx", "element"), CASES)
def test_english_names(name: str, ctx: frozenset[str], element: str) -> None:
    lex = load_lexicon()
    match = lex.match_name(lex.tokens(name), ctx)
    assert match is not None and match.element == element


@pytest.mark.parametrize(("name", "element"), PINYIN)
def test_pinyin_initials(name: str, element: str) -> None:
    lex = load_lexicon()
    match = lex.match_pinyin(lex.tokens(name), frozenset({"patient"}))
    assert match is not None and match.element == element


def test_chinese_comment_longest_keyword_wins() -> None:
    lex = load_lexicon()
    match = lex.match_zh("联系人电话", frozenset())
    assert match is not None and match.element == "DE02.01.010.02"


def test_ascii_words_never_match_inside_longer_names() -> None:
    lex = load_lexicon()
    assert lex.match_zh("description", frozenset()) is None


def test_table_context_from_name_comment_and_pinyin() -> None:
    lex = load_lexicon()
    assert "patient" in lex.table_context("pms_patient", None)
    assert "staff" in lex.table_context("t_emp", "员工表")
    assert "patient" in lex.table_context("brjbxx", None)
    assert "patient" not in lex.table_context("case_model", "病历模版表")
