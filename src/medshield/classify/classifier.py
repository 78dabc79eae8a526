"""The column classifier: name, comment, pinyin, type, table context and value evidence, combined
into one data element (or none) with a confidence and the evidence behind it.

Every signal votes for one element with a strength in 0..1. Votes for the same element combine as
independent evidence (1 - prod(1 - s)); the element with the strongest combined vote wins and its
confidence is lowered by the strongest disagreeing vote. Below ``REVIEW_BELOW`` a column goes to
review.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from medshield.classify.evidence import MIN_HIT_RATE, value_signals
from medshield.classify.lexicon import VISIT_NUMBER, Lexicon, Match, load_lexicon
from medshield.classify.model import NameModel, column_text, default_model
from medshield.classify.veto import CANDIDATE_STRENGTH, record_candidate, veto

REVIEW_BELOW = 0.6
MODEL_MIN_P = 0.55
MIN_SCORE = 0.35
WHOLE_COLUMN = 0.9  # a column named as free text is something else only if nearly all values are
PATIENT_NAME, STAFF_NAME = "DE02.01.039.00", "DE02.01.039.02"
# A name that says "no element" this strongly (server ip, 文件地址) outvotes the values' IP
# addresses and street addresses: a technical address is nobody's.
TECHNICAL = 0.9
ADDRESSES = ("DE02.01.065.00", "DE02.01.009.")
FREE_TEXT_CHARS = 12
_DATE = re.compile(r"DATE|TIME", re.IGNORECASE)
_PROSE = re.compile(r"[\u4e00-\u9fff]{2}|[A-Za-z]{2,}\s+[A-Za-z]{2,}\s+[A-Za-z]{2,}")
CLASSIFIER_VERSION = "classify:1"
_NUMERIC = re.compile(r"INT|NUMERIC|DECIMAL|FLOAT|DOUBLE|REAL|NUMBER|SERIAL|BOOL", re.IGNORECASE)
# Elements whose values are text; a numeric column cannot hold them.
_TEXT_ONLY = frozenset(
    {
        "DE02.01.039.00", "DE02.01.039.01", "DE02.01.039.02", "DE02.01.009.00",
        "DE02.01.009.05", "DE02.01.012.00", "DE05.01.025.00", "DE04.01.200.00",
        "DE04.01.119.00", "DE02.10.071.00", "DE02.10.099.00", "DE06.00.288.00",
    }
)  # fmt: skip


@dataclass(frozen=True)
class ColumnFacts:
    """What the classifier knows of one column."""

    name: str
    type: str = ""
    comment: str | None = None
    table: str = ""
    table_comment: str | None = None
    values: Sequence[str] = ()


@dataclass(frozen=True)
class ColumnClass:
    """The classifier's answer for one column."""

    element: str | None
    confidence: float
    evidence: dict[str, Any] = field(default_factory=dict)
    embedded: tuple[str, ...] = ()  # identifiers found inside some values (free text)
    may_embed: bool = False  # free text whose values have not ruled identifiers out

    @property
    def elements(self) -> tuple[str, ...]:
        """Every element the column holds: its own and those embedded in its values."""
        return tuple(e for e in (self.element, *self.embedded) if e)

    @property
    def review(self) -> bool:
        return self.confidence < REVIEW_BELOW


def _name_strength(m: Match) -> float:
    if m.source == "comment":
        return 0.9 if m.score >= 3 else 0.85 if m.score >= 2 else 0.55
    if m.source == "pinyin":
        return 0.85 if m.score >= 3 else 0.7
    if m.pattern == "* id":
        return 0.7
    return 0.92 if m.score >= 2 else 0.8 if m.score >= 1.5 else 0.75


class ColumnClassifier:
    """Rules from the lexicon, a learned name model, and the detectors, voting."""

    def __init__(self, lexicon: Lexicon | None = None, model: NameModel | None = None) -> None:
        self.lexicon = lexicon or load_lexicon()
        self.model = model

    @property
    def name_model(self) -> NameModel:
        return self.model if self.model is not None else default_model()

    def classify_many(
        self, cols: Sequence[ColumnFacts], *, use_values: bool = True
    ) -> list[ColumnClass]:
        """Classify many columns; the model predicts for all of them in one batch."""
        texts = [column_text(c.name, c.comment, c.type, c.table) for c in cols]
        guesses = self.name_model.predict(texts)
        return [
            self.classify(c, use_values=use_values, guess=g)
            for c, g in zip(cols, guesses, strict=True)
        ]

    def classify(
        self, col: ColumnFacts, *, use_values: bool = True, guess: tuple[str, float] | None = None
    ) -> ColumnClass:
        lex = self.lexicon
        ctx = lex.table_context(col.table, col.table_comment)
        tokens = lex.tokens(col.name)
        votes: list[tuple[str, float, dict[str, Any]]] = []
        for m in (
            lex.match_name(tokens, ctx),
            lex.match_zh(col.comment, ctx),
            lex.match_zh(col.name, ctx),
            lex.match_pinyin(tokens, ctx),
        ):
            if m is not None:
                detail: dict[str, Any] = {"by": m.source, "rule": m.pattern}
                if m.also:
                    detail["also"] = list(m.also)
                votes.append((m.element, _name_strength(m), detail))
        votes = _stricter(votes, lex.identifiers)
        if votes:  # the model speaks only where no rule recognises the name
            guess = ("", 0.0)
        elif guess is None:
            guess = self.name_model.predict_one(
                column_text(col.name, col.comment, col.type, col.table)
            )
        predicted, prob = guess
        if predicted and prob >= MODEL_MIN_P:
            votes.append((predicted, round(0.7 * prob, 3), {"by": "model", "p": round(prob, 3)}))
        vetoes: list[dict[str, str]] = []
        if use_values and col.values:  # values that contradict a name veto it
            for element in dict.fromkeys(e for e, _w, _d in votes if e):
                reason = veto(element, col.values, direct=element in lex.identifiers)
                if reason is not None:
                    vetoes.append({"element": element, "reason": reason})
            vetoed = {v["element"] for v in vetoes}
            votes = [v for v in votes if v[0] not in vetoed]
        signals = value_signals(col.values) if use_values and col.values else []
        named_text = any(_free_text(e, ()) for e, _w, d in votes if d["by"] != "model")
        if named_text and _free_text(None, col.values):
            floor = 2.0  # prose named as free text: what detectors find is embedded in it
        else:
            floor = WHOLE_COLUMN if named_text else MIN_HIT_RATE
        technical = any(e == "" and w >= TECHNICAL and d["by"] != "model" for e, w, d in votes)
        for s in (s for s in signals if s.hit_rate >= floor):
            if technical and s.element.startswith(ADDRESSES):
                reason = "named a technical address: a server's, a file's or a room's"
                vetoes.append({"element": s.element, "reason": reason})
                continue
            votes.append(
                (
                    _refined(_in_context(s.element, ctx), votes),
                    s.strength,
                    {
                        "by": "values",
                        "detector": s.detector,
                        "hit_rate": round(s.hit_rate, 3),
                        "hint": s.hint,
                    },
                )
            )
        if use_values and not _named(votes) and not signals and not vetoes:
            candidate = record_candidate(col.values, ctx, col.table, col.table_comment)
            if candidate is not None:
                votes.append(
                    (candidate[0], CANDIDATE_STRENGTH, {"by": "values", "hint": candidate[1]})
                )
        if _DATE.search(col.type or ""):
            votes = [(e, w if _is_date(e) else w * 0.4, d) for e, w, d in votes]
        numeric = bool(_NUMERIC.search(col.type or ""))
        if numeric:
            votes = [(e, w * 0.4 if e in _TEXT_ONLY else w, d) for e, w, d in votes]
        result = _decide(votes, ctx, numeric, bool(col.values))
        if vetoes:
            evidence = {**result.evidence, "veto": vetoes}
            result = ColumnClass(result.element, result.confidence, evidence)
        if numeric or "reference" in ctx or not _free_text(result.element, col.values):
            return result
        found = tuple(sorted({s.element for s in signals} - {result.element}))
        # Free text can carry an identifier in any row, today's sample or tomorrow's: it stays
        # suspect; the values add which identifiers were actually seen.
        may_embed = not found
        evidence = {**result.evidence, "embedded": list(found), "may_embed": may_embed}
        return ColumnClass(result.element, result.confidence, evidence, found, may_embed)


def _named(votes: list[tuple[str, float, dict[str, Any]]]) -> bool:
    """Whether a name, a comment or a confident model says what the column is."""
    return any(d["by"] != "model" or w >= CANDIDATE_STRENGTH for _e, w, d in votes)


def _stricter(
    votes: list[tuple[str, float, dict[str, Any]]], identifiers: frozenset[str]
) -> list[tuple[str, float, dict[str, Any]]]:
    """A visit number and a record number named for one column (zyh in the name, 就诊号 in the
    comment): the column is graded as the record number, and the trace keeps both."""
    named = {e for e, _w, _d in votes}
    strict = sorted(e for e in named if e in identifiers and e.startswith("DE01.00."))
    if VISIT_NUMBER not in named or not strict:
        return votes
    return [
        (strict[0], w, {**d, "also": [VISIT_NUMBER]}) if e == VISIT_NUMBER else (e, w, d)
        for e, w, d in votes
    ]


def _kind(code: str) -> str | None:
    from medshield.elements import load_catalogue

    catalogue = load_catalogue()
    if code == STAFF_NAME:  # a name like any other, though not an identifier of a patient
        return "names"
    return catalogue[code].hipaa if code in catalogue else None


def _refined(element: str, votes: list[tuple[str, float, dict[str, Any]]]) -> str:
    """A value detector knows the kind (a phone number, a person's name); the column's name may
    say which one (the contact's phone, the surgeon): that element takes the value vote."""
    kind = _kind(element)
    for named, _weight, detail in votes:
        if kind and detail["by"] in ("name", "comment", "pinyin") and _kind(named) == kind:
            return named
    return element


def _in_context(element: str, ctx: frozenset[str]) -> str:
    """Personal names found in a staff table's values are staff names."""
    if element == PATIENT_NAME and "staff" in ctx and "patient" not in ctx:
        return STAFF_NAME
    return element


def _free_text(element: str | None, values: Sequence[str]) -> bool:
    """Free text: an element masked by scrubbing, or unknown content of long values."""
    from medshield.elements import load_catalogue

    if element is not None:
        return element in load_catalogue() and load_catalogue()[element].masking == "text_scrub"
    prose = [v for v in values if v and len(v) >= FREE_TEXT_CHARS and _PROSE.search(v)]
    return bool(values) and len(prose) * 2 >= len(values)


def _is_date(code: str) -> bool:
    from medshield.elements import load_catalogue

    if not code:
        return True
    en = load_catalogue()[code].en if code in load_catalogue() else ""
    return "date" in en or "time" in en or code == "DE02.01.026.00"


def _decide(
    votes: list[tuple[str, float, dict[str, Any]]],
    ctx: frozenset[str],
    numeric: bool,
    sampled: bool,
) -> ColumnClass:
    combined: dict[str, float] = {}
    for element, weight, _detail in votes:
        combined[element] = 1 - (1 - combined.get(element, 0.0)) * (1 - weight)
    context = sorted(ctx)
    if not combined:
        confidence = 0.7 if numeric or sampled else 0.5
        return ColumnClass(None, confidence, {"signals": [], "context": context})
    ranked = sorted(combined.items(), key=lambda kv: -kv[1])
    element, score = ranked[0]
    signals = [{"element": e, "weight": round(w, 3), **d} for e, w, d in votes]
    if score < MIN_SCORE:  # too weak to name an element: leave it to a reviewer
        return ColumnClass(
            None, round(1 - score, 3) * 0.5, {"signals": signals, "context": context}
        )
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    confidence = round(max(0.0, score - 0.5 * runner_up), 3)
    if element == "":  # the strongest vote says: no personal data element
        return ColumnClass(None, confidence, {"signals": signals, "context": context})
    return ColumnClass(element, confidence, {"signals": signals, "context": context})
