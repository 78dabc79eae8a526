"""Chinese personal names: a surname (compound ones first: 欧阳, 司马) and one or two given-name
characters (张三, 王小明, 欧阳娜娜).

A whole value is a candidate; inside a column's longer values a name counts only after a cue
(患者, 姓名, 联系人, 医师 ...). In free text (``find_in_text``, used by ``find_spans``) the shipped
model of ``text_names.py`` also finds names without a cue (张三医生查房, 今日王小明复诊). Words that merely start with a surname are rejected: the medical term
dictionary, administrative divisions, shipped lists of name-like words (方法, 高血压, 白细胞) and
department-like endings (科, 室, 院); frequent general words (高兴, 周一) lose 0.2, so they count
only under a name label, and so do values repeated like categories (2% or more of 50+ values).
Confidence: 0.6 for a common surname, 0.5 for a rarer one,
0.65 for a compound one; +0.3 when the label says names (姓名, name, xm). Masked forms: ``张*``,
``张**``, ``欧阳*娜``, ``张X明``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import ClassVar

from medshield.detect.base import BaseDetector, Finding
from medshield.detect.names import Surnames, is_common_word, is_word, surnames
from medshield.detect.scan import NORMAL, JoinedColumn, clamp, label_has
from medshield.detect.text_names import doubtful, names_in

ELEMENT = "DE02.01.039.00"
CONTACT_ELEMENT = "DE02.01.039.01"
WHOLE = re.compile(r"^[ \t]*(?P<name>[\u4e00-\u9fff]{1,3}[\u4e00-\u9fff*＊Xx?]{1,3})[ \t]*$", re.M)
CUED = re.compile(
    r"(?:患者|病人|姓名|患儿|家属|联系人|监护人|之[子女]|医师|医生|护士|主任|签名)[:： \t]{0,2}"
    r"(?P<name>[\u4e00-\u9fff]{1,2}[\u4e00-\u9fff*＊?]{1,3}?)(?=[，,。；;、\s（(：:)）]|男|女|先生|女士|\d|$)",
    re.M,
)
LABELS = ("姓名", "名字", "name", "xm", "患者", "patient", "联系人", "医生", "doctor", "签名")
NOT_NAMES = ("code", "编码", "代码", "科室", "dept", "drug", "药", "诊断", "diag", "机构", "org")
CONTACT = ("联系人", "家属", "监护人", "contact", "guardian")


def score(text: str, table: Surnames) -> tuple[float, bool] | None:
    """(confidence, masked) of ``text`` as a whole name, None when it is no name."""
    surname = table.split(text)
    if surname is None:
        return None
    given = text[len(surname) :]
    covered = sum(1 for c in given if c in "*＊Xx?")
    if not 1 <= len(given) <= 2 or (covered and len(text) > 4):
        return None
    if covered:
        return 0.8, True
    if any(c in "*＊Xx?" for c in text) or is_word(text):
        return None
    base = 0.65 if len(surname) == 2 else (0.6 if surname in table.common else 0.5)
    return (base - 0.2 if is_common_word(text) else base), False


REPEAT_PENALTY = 0.3


def category_values(values: Sequence[str | None]) -> set[str]:
    """Values repeated like the categories of a code column (全自费 in 5% of rows): people's
    names are spread thin, so without a name label such a value is unlikely to be a name."""
    present = [v for v in values if v]
    if len(present) < 50:
        return set()
    floor = max(5, len(present) // 50)
    return {value for value, count in Counter(present).items() if count >= floor}


class PersonNameDetector(BaseDetector):
    name: ClassVar[str] = "person_name"
    reads_repeats: ClassVar[bool] = True

    def detect(self, values: Sequence[str | None], *, label: str | None = None) -> list[Finding]:
        table = surnames()
        hinted = label_has(label, LABELS) and not label_has(label, NOT_NAMES)
        element = CONTACT_ELEMENT if label_has(label, CONTACT) else ELEMENT
        column = JoinedColumn(values)
        repeated = set() if hinted else category_values(values)
        found: list[Finding] = []
        for pattern, bonus in ((WHOLE, 0.3 if hinted else 0.0), (CUED, 0.3)):
            for hit in column.hits(pattern):
                scored = score(hit.match.group("name"), table)
                if scored is None:
                    continue
                confidence, masked = scored
                if pattern is WHOLE and values[hit.index] in repeated:
                    confidence -= REPEAT_PENALTY
                confidence = clamp(confidence + bonus)
                evidence = (
                    "masked name" if masked else f"{len(hit.match.group('name'))}-character name"
                )
                self.add(found, hit, element, confidence, masked, evidence, span=hit.span("name"))
        return found

    def find_in_text(self, text: str) -> list[Finding]:
        """Cued names, and names the running-text model finds without a cue."""
        normal = text.translate(NORMAL)
        found = [f for f in self.detect([text]) if not doubtful(normal, f.start, f.end)]
        for span in names_in(normal):
            if (span.start, span.end) in {(f.start, f.end) for f in found}:
                continue
            evidence = f"{span.end - span.start}-character name in running text" + (
                ", cue nearby" if span.cued else ""
            )
            self.add(
                found,
                Finding(self.name, ELEMENT, 0, span.start, span.end, 0, False, ""),
                ELEMENT,
                span.confidence,
                False,
                evidence,
            )
        return found
