"""Person names in running text without a cue (张三医生查房, 今日王小明复诊).

Every surname followed by one or two Chinese characters is a candidate; the shipped model
(``name_model.py``) scores it, a cue next to it adds to the score, and the best-scoring candidates
that do not overlap are kept. Medicine and words veto a candidate unless a cue stands before it
(姓名, 联系人, 之子; 患者 and 病人 only when the name ends there): one that overlaps a drug,
diagnosis, symptom or operation of the term dictionary (高血压, 白术, 黄连素) or is a known word
(安静, and 管床 before 医生), a preposition before a word (于清晨), a three-character candidate
that starts with a word (医生查房后), or a surname that is nearly always a word (应平卧, 易患).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from medshield.detect.name_model import (
    CUE_AFTER,
    CUE_BEFORE,
    HAN,
    Candidate,
    candidates,
    name_model,
    surnames,
    term_bigrams,
)
from medshield.detect.names import is_common_word, is_word, two_character_words
from medshield.detect.terms import term_index

THRESHOLD = -19.0  # model score at which a candidate reaches confidence 0.5
FLOOR = -24.0  # candidates scoring below this are not considered at all
CUE_BOOST = 6.0  # added to the model score next to a cue (the corpora hold few cues)
SCALE = 6.0  # model score -> confidence: 0.5 + 0.45 * tanh((score - THRESHOLD) / SCALE)


# surnames that are far more often a preposition or an auxiliary: before a two-character word
# (于清晨, 应加强, 向家庭) they need a cue before them to be a name
FUNCTION_SURNAMES = frozenset("于应向和及从经有常但以由将同")
# rarer surnames that in clinical text are nearly always a word: they need a cue
STRICT_SURNAMES = frozenset("应易以由将同和及从但有向经左时初")
NUMERALS = frozenset("一二三四五六七八九十百千万两零")
# characters that are a function word or a common verb on their own: after a surname, without a
# cue, they make a word (常可, 时可, 池和, 常呈), not a one-character given name
FUNCTION_GIVEN = frozenset(
    "了是在和有不的也为就这上中说到都等着对来与地还要又而之以得个后去将那但从下把被于时只多过"
    "可并能会出或由里用所向已其给很看使前想却它最见起更如再才便没走做让内及听各至叫两当本无此"
    "们即分问话打跟则像较因呢该开约称每属谁受带先应吧占处点今间总回请者另倒啊相吗经按找呈致"
)
WEAK = re.compile(r"(?:患者|病人|患儿|由|我是)[:： ]?$")  # cues that ordinary words follow too
NAMING = re.compile(r"(?:姓名|我叫|名叫|签名|人)[:： ]?$")  # cues that a name must follow
CLOSED = re.compile(r"[，,。；;、\s（(：:)）]|[男女]|$")  # the name ends here


@dataclass(frozen=True, slots=True)
class NameSpan:
    start: int
    end: int
    confidence: float
    cued: bool


def confidence_of(score: float, cued: bool) -> float:
    value = 0.5 + 0.45 * math.tanh((score - THRESHOLD) / SCALE) + (0.1 if cued else 0.0)
    return round(min(0.95, value), 2)


def word_ahead(name: str, surname: str) -> bool:
    """A three-character candidate whose first two characters are a word (医生查房后: 查房)."""
    head = name[:2] if len(name) == 3 and len(surname) == 1 else ""
    return bool(head) and (
        head in two_character_words() or is_common_word(head) or head in term_index().by_text
    )


def vetoed(
    name: str, surname: str, in_term: bool, before: bool, after: bool, closed: bool = False
) -> bool:
    """Medicine and words say ``name`` is no name, and no cue before it says otherwise (a cue
    after it does not: 管床医生, 值班医生); ``closed``: a cue that a name must follow stands
    before it and the text ends the name (我叫黄金凤，), so a word at its head (黄金) does not veto it."""
    if name[0] in STRICT_SURNAMES and not (before or after):
        return True  # 应平卧, 易患, 由此: far more often a word than a surname
    if not before and (
        in_term
        or is_word(name)
        or name in two_character_words()
        or is_common_word(name)
        or (name[0] in FUNCTION_SURNAMES and name[1:] in two_character_words())
    ):
        return True  # 高血压, 白术, 安静; 管床医生: a word before 医生; 于清晨: a preposition and a word
    return word_ahead(name, surname) and not after and not closed  # 医生查房后


def glued(text: str, c: Candidate) -> bool:
    """Words hold the candidate's edges: its surname ends a word or a medical term (过程中, 同时可见,
    地塞米松), a number stands before it (第七章心功能, 2周后达), or its last character starts a
    word or a term (今日李浩顺利出院: 顺利, so 李浩 is the name; 高渗性: 渗性)."""
    words = two_character_words()
    bigrams = term_bigrams()
    before = text[c.start - 1 : c.start]
    if len(c.surname) == 1 and (before + c.surname in words or before + c.surname in bigrams):
        return True
    if before and (before.isdigit() or before in NUMERALS):
        return True
    if c.surname in FUNCTION_SURNAMES and HAN.fullmatch(before):
        return True  # 继发于婴幼儿, 沉积于肾小球: a preposition after a verb
    given = c.end - c.start - len(c.surname)
    if given == 1 and text[c.end - 1] in FUNCTION_GIVEN:
        return True  # 常可, 时可: a surname-like character and a function word
    ahead = text[c.end - 1 : c.end + 1]
    if given == 1 and (ahead in bigrams or (c.surname in FUNCTION_SURNAMES and ahead in words)):
        return True  # 见于新生儿: a preposition before a word; 高渗性: inside a term
    return given == 2 and (ahead in words or ahead in bigrams)


def judge(text: str, c: Candidate, covered: list[bool]) -> tuple[float, bool, bool]:
    """(model score with the cue boost, next to a cue, vetoed) of candidate ``c``."""
    in_term = any(covered[c.start : c.end])
    prefix = text[max(0, c.start - 4) : c.start]
    # a one-character cue that makes a word with the surname is none (由于颅内: 由于)
    cue = CUE_BEFORE.search(prefix)
    before = cue is not None and not (
        len(cue.group().rstrip(":： ")) == 1
        and text[c.start - 1 : c.start + 1] in two_character_words()
    )
    after = CUE_AFTER.match(text[c.end : c.end + 4]) is not None
    cued = before or after
    score = name_model().score_of(text, c, in_term) + (CUE_BOOST if cued else 0.0)
    # 患者安静, 病人易患: after 患者 a word is as likely as a name, unless the name ends there
    strong = before and (WEAK.search(prefix) is None or CLOSED.match(text, c.end) is not None)
    closed = strong and NAMING.search(prefix) is not None and CLOSED.match(text, c.end) is not None
    veto = vetoed(text[c.start : c.end], c.surname, in_term, strong, after, closed)
    return score, cued, veto or (not before and not after and glued(text, c))


def doubtful(text: str, start: int, end: int) -> bool:
    """A span that a cue proposed but that words veto (医生查房后, 患者应平卧) or that reads as a
    common word the model scores low (医生查房: 查房 after the cue 医生)."""
    name = text[start:end]
    surname = surnames().split(name)
    if surname is None:
        return True
    score, _, veto = judge(text, Candidate(start, end, surname), term_index().covered(text))
    return veto or (is_common_word(name) and score < THRESHOLD)


def names_in(text: str, floor: float = FLOOR) -> list[NameSpan]:
    """Name spans in ``text`` (already normalised: see ``scan.NORMAL``), ordered by position,
    down to a model score of ``floor``; the caller keeps those of enough confidence."""
    table = surnames()
    covered: list[bool] | None = None
    scored: list[tuple[float, int, int, bool]] = []
    for c in candidates(text, table):
        if covered is None:
            covered = term_index().covered(text)
        score, cued, veto = judge(text, c, covered)
        if score <= floor or veto:
            continue
        scored.append((score, c.start, c.end, cued))
    scored.sort(key=lambda x: (-x[0], x[1]))
    kept: list[NameSpan] = []
    for score, start, end, cued in scored:
        if all(end <= k.start or start >= k.end for k in kept):
            kept.append(NameSpan(start, end, confidence_of(score, cued), cued))
    return sorted(kept, key=lambda k: k.start)
