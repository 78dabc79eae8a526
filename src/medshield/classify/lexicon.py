"""The name lexicon (``data/lexicon.yaml``): English patterns, Chinese keywords, pinyin initials."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import yaml

from medshield.classify.tokens import (
    canonical_tokens,
    full_pinyin,
    has_cjk,
    initials,
    raw_tokens,
)
from medshield.errors import ClassificationError

KEY_TOKENS = frozenset({"id", "key", "fk", "sk", "pk"})
CODE_TOKENS = frozenset({"source", "code", "type"})


@dataclass(frozen=True)
class Match:
    """One piece of name evidence for an element."""

    element: str
    source: str  # "name", "comment", "pinyin", "table"
    pattern: str
    score: float
    also: tuple[str, ...] = ()  # other elements the same words allow (住院号/就诊号)


@dataclass(frozen=True)
class Pattern:
    element: str
    tokens: frozenset[str]
    exact: tuple[str, ...] | None
    context: str | None
    text: str


class Lexicon:
    """Matches column names, comments and pinyin initials against the lexicon."""

    def __init__(self, raw: dict[str, Any], version: str) -> None:
        self.version = version
        self.abbreviations = {k: tuple(v) for k, v in (raw.get("abbreviations") or {}).items()}
        self.contexts = {
            key: (frozenset(v.get("en", [])), tuple(v.get("zh", [])))
            for key, v in (raw.get("contexts") or {}).items()
        }
        self.patterns: list[Pattern] = []
        self.zh: list[tuple[str, str, str | None]] = []
        self.pinyin: dict[str, list[tuple[str, str | None]]] = {}
        self._explicit_py: set[str] = set()
        self.identifiers = frozenset(str(c) for c in raw.get("identifiers") or ())
        self.pinyin_suffixes = {k: str(v) for k, v in (raw.get("pinyin_suffixes") or {}).items()}
        self.pinyin_owners = frozenset(str(o) for o in raw.get("pinyin_owners") or ())
        words: set[str] = set(self.abbreviations)
        for values in self.abbreviations.values():
            words.update(values)
        elements = dict(raw.get("elements") or {})
        elements[""] = raw.get("none") or {}  # "" votes for no element
        for code, spec in elements.items():
            for text in spec.get("en", []):
                body, _, ctx = str(text).partition("@")
                exact = body.startswith("=")
                toks = tuple(raw_tokens(body.lstrip("=")))
                words.update(toks)
                self.patterns.append(
                    Pattern(code, frozenset(toks), toks if exact else None, ctx or None, str(text))
                )
            for text in spec.get("zh", []):
                body, _, ctx = str(text).partition("@")
                if has_cjk(body):  # ASCII words are matched as name tokens, never as substrings
                    self.zh.append((body.lower(), code, ctx or None))
                if has_cjk(body) and body.isalpha() and not body.isascii() and _cjk_only(body):
                    self.pinyin.setdefault(initials(body), []).append((code, ctx or None))
                if has_cjk(body) and _cjk_only(body + "字"):  # xingming 姓名, dianhua 电话
                    self.pinyin.setdefault(full_pinyin(body), []).append((code, ctx or None))
            for text in spec.get("py", []):
                body, _, ctx = str(text).partition("@")
                self._explicit_py.add(body)
                self.pinyin.setdefault(body, []).insert(0, (code, ctx or None))
        self.vocab = frozenset(w for w in words if len(w) >= 2)
        self._token_cache: dict[str, tuple[str, ...]] = {}
        self._context_cache: dict[tuple[str, str | None], frozenset[str]] = {}
        self._by_token: dict[str, list[int]] = {}
        for index, pattern in enumerate(self.patterns):
            for token in pattern.tokens:
                self._by_token.setdefault(token, []).append(index)
        for entries in self.pinyin.values():
            entries.sort(key=lambda e: e[1] is None)  # context-bound readings first
        self.context_initials = {
            key: frozenset(initials(z) for z in zh if _cjk_only(z + "字") and len(z) >= 2)
            for key, (_en, zh) in self.contexts.items()
        }
        self.zh.sort(key=lambda z: -len(z[0]))
        for key, entries in list(self.pinyin.items()):
            if key in self.vocab:  # an English word is never read as pinyin
                del self.pinyin[key]
            elif _ambiguous(entries) and key not in self._explicit_py:
                del self.pinyin[key]  # two elements share these initials: let values decide

    def tokens(self, name: str) -> tuple[str, ...]:
        found = self._token_cache.get(name)
        if found is None:
            found = canonical_tokens(name, self.abbreviations, self.vocab)
            if len(self._token_cache) < 200_000:
                self._token_cache[name] = found
        return found

    def table_context(self, table: str, comment: str | None) -> frozenset[str]:
        """Which entity a table is about (patient, staff, drug, ...), from its name and comment."""
        key = (table, comment)
        found = self._context_cache.get(key)
        if found is None:
            found = self._table_context(table, comment)
            if len(self._context_cache) < 200_000:
                self._context_cache[key] = found
        return found

    def _table_context(self, table: str, comment: str | None) -> frozenset[str]:
        toks = set(self.tokens(table))
        text = (comment or "").lower()
        found = set()
        for key, (en, zh) in self.contexts.items():
            if toks & en or any(z in text for z in zh):
                found.add(key)
            elif any(t[:2] in self.context_initials[key] and t not in self.vocab for t in toks):
                found.add(key)
        if "reference" in found:  # a template, category or dictionary holds no one's data
            found -= {"patient", "contact", "staff", "visit"}
        return frozenset(found)

    def match_name(self, tokens: tuple[str, ...], ctx: frozenset[str]) -> Match | None:
        """The most specific pattern whose tokens form a contiguous run of the name. English
        puts the head noun last: a pattern that misses the last token must beat one that covers
        it by more than one token (``bank_card_amount`` is an amount)."""
        best: tuple[float, int, Pattern] | None = None
        head: tuple[float, int, Pattern] | None = None
        present = set(tokens)
        for p in self._candidates(tokens):
            if not p.tokens <= present or (p.context is not None and p.context not in ctx):
                continue
            span: tuple[int, int] | None
            if p.exact is not None:
                if tokens != p.exact:
                    continue
                score, span = len(p.exact) + 1.0, (0, len(tokens))
            else:
                span = _contiguous(tokens, p.tokens)
                if span is None:
                    continue
                score = float(len(p.tokens))
            if p.context is not None:
                score += 0.5
            candidate = (score, span[1], p)
            if best is None or candidate[:2] > best[:2]:
                best = candidate
            if span[1] == len(tokens) and (head is None or candidate[:2] > head[:2]):
                head = candidate
        if best is not None and head is not None and best[0] <= head[0] + 1:
            best = head
        keyed = len(tokens) > 1 and tokens[-1] in KEY_TOKENS and tokens[-2] not in CODE_TOKENS
        if keyed and best is not None and best[1] == len(tokens) - 1:
            keyed = best[2].element not in self.identifiers  # ``mrn_id``: the MRN itself
        if keyed and (best is None or best[0] < 2 or best[1] < len(tokens)):
            return Match("DE99.00.002.00", "name", "* id", 1.5)  # a key of another entity
        if best is None:
            return None
        return Match(best[2].element, "name", best[2].text, best[0])

    def _candidates(self, tokens: tuple[str, ...]) -> list[Pattern]:
        """Patterns that share a token with the name, in lexicon order."""
        seen: set[int] = set()
        for t in tokens:
            seen.update(self._by_token.get(t, ()))
        return [self.patterns[i] for i in sorted(seen)]

    def match_zh(self, text: str | None, ctx: frozenset[str]) -> Match | None:
        if not text:
            return None
        lowered = text.lower()
        first: tuple[str, str] | None = None
        others: list[str] = []
        for keyword, code, context in self.zh:
            if (context is not None and context not in ctx) or keyword not in lowered:
                continue
            if first is None:
                first = (keyword, code)
            elif keyword not in first[0] and code not in others and code != first[1]:
                others.append(code)
        if first is None:
            return None
        keyword, code = first
        allowed = [code, *(o for o in others if _same_family(o, code))]
        strict = [c for c in allowed if c in self.identifiers]
        if strict and code not in strict:  # 住院号/就诊号: graded as the stricter element
            code = strict[0]
        also = tuple(c for c in allowed if c != code)
        return Match(code, "comment", keyword, float(len(keyword)), also)

    def match_pinyin(self, tokens: tuple[str, ...], ctx: frozenset[str]) -> Match | None:
        candidates = [*tokens, "".join(tokens)] if len(tokens) > 1 else list(tokens)
        for word in sorted(set(candidates), key=len, reverse=True):
            for code, context in self.pinyin.get(word, []):
                if context is None or context in ctx:
                    return Match(code, "pinyin", word, float(len(word)))
        for word in tokens:
            if len(word) < 3 or word in self.vocab:
                continue
            for cut in range(1, len(word) - 2):  # hzsfzh: 患者 + 身份证号
                if word[:cut] not in self.pinyin_owners:  # whole initials only, never a tail
                    continue
                for code, context in self.pinyin.get(word[cut:], [])[:1]:
                    if len(word) - cut >= 4 and (context is None or context in ctx):
                        return Match(code, "pinyin", f"*{word[cut:]}", float(len(word) - cut))
            for suffix, code in self.pinyin_suffixes.items():
                if word.endswith(suffix):  # kfys 开方医生, zdys 主刀医生: some doctor
                    return Match(code, "pinyin", f"*{suffix}", 2.0)
        return None


VISIT_NUMBER = "DE01.00.002.00"


def _same_family(a: str, b: str) -> bool:
    """A visit number and a record number (``DE01.00``) named together are one column."""
    return VISIT_NUMBER in (a, b) and a[:7] == b[:7]


def _ambiguous(entries: list[tuple[str, str | None]]) -> bool:
    """Two elements read the same way in the same table context."""
    by_context: dict[str | None, set[str]] = {}
    for code, ctx in entries:
        by_context.setdefault(ctx, set()).add(code)
    return any(len(codes) > 1 for codes in by_context.values())


def _contiguous(tokens: tuple[str, ...], wanted: frozenset[str]) -> tuple[int, int] | None:
    """The (start, end) of a run of ``len(wanted)`` tokens that are exactly ``wanted``."""
    size = len(wanted)
    if not size:
        return None
    for start in range(len(tokens) - size + 1):
        if frozenset(tokens[start : start + size]) == wanted:
            return start, start + size
    return None


def _cjk_only(text: str) -> bool:
    """Initials are derived only from all-Chinese keywords of three or more characters."""
    return len(text) >= 3 and all("\u4e00" <= ch <= "\u9fff" for ch in text)


@cache
def load_lexicon() -> Lexicon:
    """The lexicon shipped with the package; its version is the hash of the file."""
    data = files("medshield.classify").joinpath("data/lexicon.yaml").read_bytes()
    try:
        raw = yaml.load(data, Loader=yaml.BaseLoader)  # noqa: S506 - every scalar a string (no, on)
    except yaml.YAMLError as exc:
        raise ClassificationError(
            f"bad lexicon: {exc}", where="classify/data/lexicon.yaml"
        ) from None
    return Lexicon(raw, "lexicon:" + hashlib.sha256(data).hexdigest()[:16])
