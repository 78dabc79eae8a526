"""Chinese addresses: administrative parts found by ``divisions().parse_address`` (省 市 区县
乡镇街道) plus street-level detail (路 街 巷 弄 村, 号 栋 幢 单元 室).

A whole value with an administrative part and street detail is a full address (0.9); two or more
administrative parts alone are a partial address (0.7, element of the deepest part); street detail
with a house number alone 0.6. Inside text an address counts after a cue (住址, 地址, 家住,
户籍), or without one when it starts with a province, prefecture or county name and runs to a
house number (患者住重庆市渝中区解放碑街道民族路123号, 家住渝中区民族路123号: 0.8). Values cut by masking
(``重庆市渝中区****``, ``四川省成都市**区``) are masked findings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import cache
from typing import ClassVar

import ahocorasick_rs

from medshield.detect.base import BaseDetector, Finding
from medshield.detect.scan import JoinedColumn, clamp, label_has
from medshield.elements.address import AddressParts
from medshield.elements.divisions import divisions

FULL = "DE02.01.009.00"
BY_DEPTH = {
    "province": "DE02.01.009.01",
    "city": "DE02.01.009.02",
    "district": "DE02.01.009.03",
    "town": "DE02.01.009.04",
}
CANDIDATE = re.compile(  # a whole value with at least one address character
    r"^[ \t]*(?P<addr>[^\n，,。；;：:]{0,80}?[省市区县旗镇乡村路街巷弄道号栋幢室][^\n，,。；;：:]{0,80}?)[ \t]*$",
    re.M,
)
CUED = re.compile(
    r"(?:住址|地址|家住|现住|居住地|户籍地|户籍|住在)[:：]?[ \t]?(?P<addr>[^\s，,。；;]{4,60})"
)
UNCUED_PENALTY = 0.1
NUMBER = r"[\d一二三四五六七八九十]+"


@cache
def _uncued() -> re.Pattern[str]:
    """An address inside text with no cue: a province or prefecture name (full or short) up to
    the first house number, with building and room numbers after it."""
    table = divisions()
    heads: set[str] = set()
    for province in table.provinces():
        for d in (province, *table.children(province.code)):
            if d.level != "county":
                heads.update(n for n in (d.name, d.short) if len(n) >= 2)
    alternation = "|".join(sorted(map(re.escape, heads), key=len, reverse=True))
    return re.compile(
        rf"(?P<addr>(?:{alternation})[^\s，,。；;：:]{{2,60}}?{NUMBER}号"
        rf"(?:{NUMBER}(?:栋|幢|单元|室|楼|层))*)"
    )


class CountyStarts:
    """Addresses inside text that start at a county-level name (渝中区民族路123号, no province,
    no cue) and run to a house number. Names are found with Aho-Corasick (a regular expression
    of three thousand names would try each at every character); the tail is matched from each
    name on. A ``finditer`` for ``JoinedColumn.hits``."""

    def __init__(self) -> None:
        table = divisions()
        names = {
            c.name
            for p in table.provinces()
            for c in table.counties_of(p.code[:2])
            if len(c.name) >= 3
        }
        self._names = sorted(names)
        self._matcher = ahocorasick_rs.AhoCorasick(
            self._names, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
        )
        self._tail = re.compile(
            rf"(?P<addr>[^\s，,。；;：:]{{3,68}}?{NUMBER}号(?:{NUMBER}(?:栋|幢|单元|室|楼|层))*)"
        )

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        end = 0
        for _, start, stop in self._matcher.find_matches_as_indexes(text):
            if start < end:
                continue
            found = self._tail.match(text, start)
            if found is not None and found.end() - stop >= 2:  # street detail after the name
                end = found.end()
                yield found


@cache
def _county_starts() -> CountyStarts:
    return CountyStarts()


HINT = re.compile(r"[省市区县旗镇乡村路街巷弄道号栋幢室]")
DETAIL = re.compile(
    r"(?:路|街|巷|弄|大道|村|组)|[\d一二三四五六七八九十]+(?:号|栋|幢|单元|室|楼|层)"
)
HOUSE = re.compile(r"[\d一二三四五六七八九十]+号")
COVER = re.compile(r"[*＊?#]{2,}|X{2,}")
LABELS = ("地址", "住址", "address", "addr", "dz", "户籍", "居住")


def _depth(parts: AddressParts) -> list[str]:
    return [k for k in ("province", "city", "district", "town") if getattr(parts, k)]


def score(text: str) -> tuple[float, str, bool, str] | None:
    """(confidence, element, masked, evidence) of ``text`` as an address."""
    if not HINT.search(text):
        return None
    parts = divisions().parse_address(text)
    levels = _depth(parts)
    masked = COVER.search(text) is not None
    detail = DETAIL.search(parts.rest) is not None
    if levels and detail and not masked:
        return (
            0.9,
            FULL,
            False,
            f"address in {parts.region_code or 'a known region'}, street detail",
        )
    if levels and masked:
        return 0.85, FULL, True, f"address cut after {levels[-1]}"
    if len(levels) >= 2 and not parts.rest.strip():
        return 0.7, BY_DEPTH[levels[-1]], False, f"address down to {levels[-1]}"
    house = HOUSE.search(text)
    if not levels and house and DETAIL.search(text[: house.start()]):
        return 0.6, FULL, False, "street and house number"
    return None


class AddressDetector(BaseDetector):
    name: ClassVar[str] = "address"

    def detect(self, values: Sequence[str | None], *, label: str | None = None) -> list[Finding]:
        hinted = label_has(label, LABELS)
        column = JoinedColumn(values)
        found: list[Finding] = []
        done: set[int] = set()
        patterns = (
            (CANDIDATE, 0.05 if hinted else 0.0),
            (CUED, 0.05),
            (_uncued(), -UNCUED_PENALTY),
            (_county_starts(), -UNCUED_PENALTY),
        )
        for pattern, bonus in patterns:
            for hit in column.hits(pattern):
                if hit.index in done:
                    continue
                scored = score(hit.match.group("addr"))
                if scored is None:
                    continue
                confidence, element, masked, evidence = scored
                confidence = clamp(confidence + bonus)
                if self.add(
                    found, hit, element, confidence, masked, evidence, span=hit.span("addr")
                ):
                    done.add(hit.index)
        return found
