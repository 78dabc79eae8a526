from hypothesis import given
from hypothesis import strategies as st

from medshield.classify.lexicon import load_lexicon
from medshield.classify.tokens import initials, raw_tokens, segment


def test_snake_camel_upper_and_digits_split_alike() -> None:
    assert raw_tokens("patient_id_card_no") == ["patient", "id", "card", "no"]
    assert raw_tokens("PatientIdCardNo") == ["patient", "id", "card", "no"]
    assert raw_tokens("PATIENT_ID_CARD_NO") == ["patient", "id", "card", "no"]
    assert raw_tokens("patientIDCard2") == ["patient", "id", "card", "2"]


def test_pinyin_initials_of_chinese() -> None:
    assert initials("身份证号") == "sfzh"
    assert initials("病人姓名") == "brxm"
    assert initials("家庭住址") == "jtzz"


def test_glued_words_split_only_when_fully_known() -> None:
    vocab = frozenset({"patient", "name", "card"})
    assert segment("patientname", vocab) == ["patient", "name"]
    assert segment("patientxyzzy", vocab) == ["patientxyzzy"]


def test_abbreviations_expand() -> None:
    lex = load_lexicon()
    assert lex.tokens("pat_dob") == ("patient", "birth", "date")
    assert lex.tokens("HADM_ID")[:1] == ("admission",)


@given(st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,30}", fullmatch=True))
def test_tokens_keep_every_letter_and_digit(name: str) -> None:
    tokens = raw_tokens(name)
    assert "".join(tokens) == "".join(ch for ch in name if ch.isalnum()).lower()
    assert all(t == t.lower() and t for t in tokens)
