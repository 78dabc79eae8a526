"""A linear model that scores name candidates in running text (张三医生说, 今天王小明来复诊).

A candidate is a surname of the shipped table (compound first) followed by one or two Chinese
characters. Its features are the surname, the given characters, the characters around it, the
kinds of those characters, whether it is a dictionary word, a common word or part of a medical
term, and whether a cue (患者, 联系人, 医生, 之子 ...) stands next to it. The weights are trained by
``scripts/train_name_model.py`` (an averaged perceptron, ``name_train.py``) and shipped in
``data/name_model.tsv``; scoring is a sum of weights, so it runs anywhere Python runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from medshield.detect.names import (
    Surnames,
    is_common_word,
    is_word,
    surnames,
    two_character_words,
)
from medshield.detect.terms import term_index

MODEL_FILE = "name_model.tsv"
HAN = re.compile(r"[\u4e00-\u9fff]")
# words just before a name that say a person follows, and just after it
CUE_BEFORE = re.compile(
    r"(?:患者|病人|患儿|姓名|家属|联系人|监护人|之[子女]|其[父母夫妻子女]|医师|医生|护士|主任|"
    r"签名|主治|经治|记录者?|报告人|审核|会诊|由|委托|代理人|丈夫|妻子|儿子|女儿|父亲|母亲|"
    r"孙[子女]|外孙女?|侄[子女]|外甥女?|[哥姐弟妹]{2}|爱人|老伴|我叫|名叫|我是|"
    r"(?:投诉|受托|经办|随访|当事|申请|签字|负责|见证|陪护)人)[:： ]?$"
)
CUE_AFTER = re.compile(
    r"^(?:医生|医师|大夫|护士|主任|教授|先生|女士|同志|老师|院长|主治|副主任|之[子女]|"
    r"[，,]?[男女][，, ]|[（(][男女])"
)


def char_kind(c: str) -> str:
    """A one-letter kind of a character: ^ (edge), h (Chinese), d (digit), a (letter), p."""
    if not c:
        return "^"
    if "\u4e00" <= c <= "\u9fff":
        return "h"
    if c.isdigit():
        return "d"
    if c.isascii() and c.isalpha():
        return "a"
    return "p"


@cache
def term_bigrams() -> frozenset[str]:
    """Every two Chinese characters that stand together in a term of the dictionary (代谢, 缺陷,
    皮质): a candidate glued to one of them is likely part of a medical word."""
    return frozenset(
        t[i : i + 2]
        for t in term_index().by_text
        for i in range(len(t) - 1)
        if HAN.fullmatch(t[i]) and HAN.fullmatch(t[i + 1])
    )


def surname_kind(surname: str, table: Surnames) -> str:
    if len(surname) == 2:
        return "compound"
    return "common" if surname in table.common else "rare"


@dataclass(frozen=True, slots=True)
class Candidate:
    start: int
    end: int
    surname: str


def candidates(text: str, table: Surnames) -> Iterator[Candidate]:
    """Every surname followed by one or two Chinese characters."""
    n = len(text)
    for m in HAN.finditer(text):
        i = m.start()
        for surname in (text[i : i + 2], text[i]):
            if surname not in (table.compound if len(surname) == 2 else table.single):
                continue
            for given in (1, 2):
                end = i + len(surname) + given
                if end <= n and HAN.fullmatch(text[end - 1]) and HAN.fullmatch(text[end - given]):
                    yield Candidate(i, end, surname)


def leaning(value: float, bound: int) -> str:
    """A log-odds rounded to a whole number within +-``bound``, as a feature value."""
    return str(max(-bound, min(bound, round(value))))


def features(text: str, c: Candidate, in_term: bool, prior: Mapping[str, float]) -> list[str]:
    """The names of the features that fire for candidate ``c`` in ``text``; ``prior`` holds the
    log-odds of a character being part of a given name rather than of other text."""
    s, e, sur = c.start, c.end, c.surname
    name = text[s:e]
    given = name[len(sur) :]
    p1, p2 = text[s - 1 : s], text[max(0, s - 2) : s]
    n1, n2 = text[e : e + 1], text[e : e + 2]
    length = str(len(given))
    before = text[max(0, s - 4) : s]
    bigrams = term_bigrams()
    odds = [prior.get(ch, 0.0) for ch in given]
    head = name[:2] if len(given) == 2 else ""
    words = two_character_words()
    return [
        "b",
        "s:" + sur,
        "g1:" + given[0],
        "g2:" + (given[1] if len(given) > 1 else "-"),
        "L:" + length,
        "p1:" + p1,
        "p2:" + p2,
        "n1:" + n1,
        "n2:" + n2,
        "ps:" + p1 + sur,
        "gn:" + name[-1] + n1,
        "pk:" + char_kind(p1) + length,
        "nk:" + char_kind(n1) + length,
        "Ln:" + length + n1,
        "Lp:" + length + p1,
        "w:" + str(is_word(name)),
        "cw:" + str(is_common_word(name)),
        "t:" + str(in_term),
        "cb:" + str(CUE_BEFORE.search(before) is not None),
        "ca:" + str(CUE_AFTER.match(text[e : e + 4]) is not None),
        "sk:" + surname_kind(sur, surnames()),
        "bl:" + str(p1 + sur[0] in bigrams),
        "bi:" + length + str(name[:2] in bigrams) + str(name[-2:] in bigrams),
        "br:" + str(name[-1] + n1 in bigrams),
        "pr:" + length + leaning(sum(odds), 8),
        "q1:" + leaning(odds[0], 3),
        "q2:" + (leaning(odds[1], 3) if len(odds) > 1 else "-"),
        "hw:" + str(bool(head) and (is_common_word(head) or is_word(head))),
        "ww:"
        + length
        + str(p1 + sur[0] in words)
        + str(name[:2] in words)
        + str(given in words)
        + str(name[-1] + n1 in words)
        + str(n2 in words),
        "pw:" + str(p2 in words),
    ]


PRIOR = "prior:"  # rows of the model file that hold the character log-odds, not weights


@dataclass(frozen=True)
class NameModel:
    weights: dict[str, float]
    prior: dict[str, float]

    def score(self, feats: list[str]) -> float:
        get = self.weights.get
        return sum(get(f, 0.0) for f in feats)

    def score_of(self, text: str, c: Candidate, in_term: bool) -> float:
        return self.score(features(text, c, in_term, self.prior))


def dump(model: NameModel) -> str:
    """The TSV text of the model: weights then priors, sorted, four decimals, zeros left out."""
    rows = sorted((f, round(w, 4)) for f, w in model.weights.items())
    rows += sorted((PRIOR + ch, round(v, 4)) for ch, v in model.prior.items())
    return "".join(f"{f}\t{w}\n" for f, w in rows if w != 0.0 and f.isprintable())


def parse(raw: str) -> NameModel:
    weights: dict[str, float] = {}
    prior: dict[str, float] = {}
    for line in raw.splitlines():
        if line and not line.startswith("#"):
            feature, _, weight = line.rpartition("\t")
            if feature.startswith(PRIOR):
                prior[feature[len(PRIOR) :]] = float(weight)
            else:
                weights[feature] = float(weight)
    return NameModel(weights, prior)


@cache
def name_model() -> NameModel:
    """The shipped model, loaded once."""
    return parse(files("medshield.detect").joinpath(f"data/{MODEL_FILE}").read_text("utf-8"))


__all__ = ["Candidate", "NameModel", "candidates", "features", "name_model", "surnames"]
