"""Splitting column and table names into canonical tokens, and pinyin initials of Chinese text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_DIGIT = re.compile(r"(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")
_SPLIT = re.compile(r"[^0-9A-Za-z\u4e00-\u9fff]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def raw_tokens(name: str) -> list[str]:
    """``patientIDCard_no2`` -> ``["patient", "id", "card", "no", "2"]`` (lower case)."""
    out: list[str] = []
    for part in _SPLIT.split(name):
        if not part:
            continue
        for piece in _CAMEL.split(part):
            out.extend(p.lower() for p in _DIGIT.split(piece) if p)
    return out


def canonical_tokens(
    name: str, abbreviations: Mapping[str, tuple[str, ...]], vocab: frozenset[str]
) -> tuple[str, ...]:
    """Raw tokens with abbreviations expanded and glued words (``patientname``) split."""
    out: list[str] = []
    for token in raw_tokens(name):
        if has_cjk(token):
            out.append(token)
            continue
        pieces = [token] if token in vocab or token in abbreviations else segment(token, vocab)
        for piece in pieces:
            out.extend(abbreviations.get(piece, (piece,)))
    return tuple(out)


def segment(token: str, vocab: frozenset[str]) -> list[str]:
    """Split a glued lower-case token into known words when it splits completely."""
    if len(token) < 5:
        return [token]
    best: list[list[str] | None] = [None] * (len(token) + 1)
    best[0] = []
    for end in range(1, len(token) + 1):
        for start in range(max(0, end - 16), end):
            head = best[start]
            piece = token[start:end]
            if head is not None and (len(piece) >= 3 or piece in ("id", "no")) and piece in vocab:
                candidate = [*head, piece]
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
    result = best[len(token)]
    return result if result else [token]


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


@lru_cache(maxsize=8192)
def initials(text: str) -> str:
    """Pinyin initials of the Chinese characters in ``text``: 身份证号 -> ``sfzh``."""
    from pypinyin import Style, lazy_pinyin  # its dictionaries take a while to load

    letters = lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore")
    return "".join(letters).lower()


@lru_cache(maxsize=8192)
def full_pinyin(text: str) -> str:
    """The pinyin of the Chinese characters in ``text``, without tones: 姓名 -> ``xingming``."""
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(text, errors="ignore")).lower()


def joined(tokens: Iterable[str]) -> str:
    return "".join(tokens)
