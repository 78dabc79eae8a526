"""Surname table and the words that look like names but are not, or seldom are (shipped in ``data/``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from medshield.detect.terms import term_index
from medshield.elements.divisions import divisions

NOT_A_NAME_END = re.compile(
    r"(科|室|院|部|处|局|所|站|中心|门诊|病房|组|队|班|员|省|市|区|县|镇|乡|村|路|街|号|楼|药|片|液|剂|散|丸|膏|炎|病|症|癌|瘤|术)$"
)


@dataclass(frozen=True)
class Surnames:
    compound: frozenset[str]
    common: frozenset[str]
    single: frozenset[str]

    def split(self, text: str) -> str | None:
        """The surname ``text`` starts with (compound first), None when it starts with none."""
        if text[:2] in self.compound:
            return text[:2]
        if text[:1] in self.single:
            return text[:1]
        return None


def _lines(name: str) -> list[str]:
    raw = files("medshield.detect").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return [line for line in raw.splitlines() if line.strip() and not line.startswith("#")]


@cache
def surnames() -> Surnames:
    compound, common, rare = (frozenset(line.split()) for line in _lines("surnames.txt"))
    return Surnames(compound, common, common | rare)


@cache
def _words() -> frozenset[str]:
    return frozenset(
        w
        for name in ("not_names.txt", "name_like_words.txt")
        for line in _lines(name)
        for w in line.split()
    )


@cache
def _place_names() -> frozenset[str]:
    table = divisions()
    provinces = table.provinces()
    places = [*provinces, *table.counties_of("", historic=True)]
    for province in provinces:
        places.extend(table.children(province.code, historic=True))
    return frozenset(n for d in places for n in (d.name, d.short))


@cache
def _common_words() -> frozenset[str]:
    return frozenset(_lines("common_words.txt"))


@cache
def two_character_words() -> frozenset[str]:
    """General Chinese words of two characters (清晨, 加强, 如今), from the jieba dictionary."""
    return frozenset(_lines("words2.txt"))


def is_common_word(text: str) -> bool:
    """A frequent general word that begins like a name (高兴, 周一, 黄昏): a name only under a
    name label."""
    return text in _common_words()


def is_word(text: str) -> bool:
    """``text`` is a known word, term, place or ends like a department, drug or disease."""
    return (
        text in _words()
        or text in term_index().by_text
        or text in _place_names()
        or NOT_A_NAME_END.search(text) is not None
    )
