from __future__ import annotations

from medshield.detect.names import is_common_word, is_word, surnames


def test_compound_surnames_first() -> None:
    table = surnames()
    assert table.split("欧阳娜娜") == "欧阳"
    assert table.split("王小明") == "王"
    assert table.split("的确") is None


def test_words_terms_places_and_endings() -> None:
    assert is_word("高血压")  # medical term
    assert is_word("重庆")  # place
    assert is_word("心内科")  # department ending
    assert is_word("方法")  # shipped list
    assert not is_word("张三")


def test_common_words_are_soft() -> None:
    assert is_common_word("高兴")
    assert not is_word("高兴")
    assert not is_common_word("王小明")
