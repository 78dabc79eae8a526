"""Splitting a Chinese address into its administrative parts (省 市 区县 乡镇街道, the rest).

Matching runs level by level from the left, longest name first, each level among the children of
the level found before; a level that is left out (no 省, a 直辖市, a county under the province)
is looked up one level wider. Short names (重庆, 广西, 凉山州) are accepted where they cannot be
mistaken for another place.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

DivisionLevel = Literal["province", "city", "county"]
CutLevel = Literal["province", "city", "district", "town"]
_ORDER: tuple[CutLevel, ...] = ("province", "city", "district", "town")
_TOWN_FALLBACK = re.compile(r"^[\u4e00-\u9fff]{1,8}?(?:街道办事处|街道|镇|乡)")
_NOT_A_TOWN = re.compile(r"[号弄巷村]")


@dataclass(frozen=True)
class Division:
    """One row of GB/T 2260 (the table itself is ``divisions.Divisions``)."""

    code: str
    level: DivisionLevel
    name: str
    short: str
    parent: str | None
    historic: bool = False


@dataclass(frozen=True)
class AddressParts:
    """An address split into parts, each as written in the text (None when absent)."""

    province: str | None = None
    city: str | None = None
    district: str | None = None
    town: str | None = None
    rest: str = ""
    province_code: str | None = None
    city_code: str | None = None
    district_code: str | None = None

    def cut(self, level: CutLevel) -> str:
        """The address truncated below ``level``: ``cut("district")`` drops town and rest."""
        keep = _ORDER[: _ORDER.index(level) + 1]
        parts: list[str] = []
        for name in keep:
            value: str | None = getattr(self, name)
            if value and (not parts or parts[-1] != value):
                parts.append(value)
        return "".join(parts)

    @property
    def region_code(self) -> str | None:
        """The most precise division code found."""
        return self.district_code or self.city_code or self.province_code


def _depth(parts: AddressParts) -> tuple[bool, bool, bool, bool, bool]:
    """How far a reading of an address got: a known county first, then any county, ..."""
    return (
        parts.district_code is not None,
        parts.district is not None,
        parts.town is not None,
        parts.city_code is not None,
        parts.province_code is not None,
    )


def _variants(d: Division) -> set[str]:
    names = {d.name}
    if len(d.short) >= 2 and d.short != d.name:
        names.add(d.short)
        for suffix in ("自治州", "自治县", "地区", "盟"):
            if d.name.endswith(suffix):
                names.add(d.short + suffix[-1])
    return names


class _Index:
    """Surface name -> divisions, matched longest first at the start of a text."""

    def __init__(self, items: Iterable[tuple[str, Division]]) -> None:
        self._by_name: dict[str, list[Division]] = defaultdict(list)
        for name, division in items:
            self._by_name[name].append(division)
        self._lengths = sorted({len(n) for n in self._by_name}, reverse=True) or [0]
        # Texts a longer text could continue into a name ("" and every proper prefix).
        self._open = {n[:i] for n in self._by_name for i in range(len(n))}

    def matches(
        self, text: str, watch: list[str] | None = None
    ) -> list[tuple[str, Division | None]]:
        """Every name at the start of ``text``, longest first, with its division (None when
        the name is ambiguous: 朝阳区 of Beijing or of Changchun, the text cannot say).

        ``watch`` collects the texts whose matches could change if the text went on."""
        if watch is not None and len(text) < self._lengths[0] and text in self._open:
            watch.append(text)
        out: list[tuple[str, Division | None]] = []
        for length in self._lengths:
            found = self._by_name.get(text[:length])
            if not found:
                continue
            current = [d for d in found if not d.historic] or found
            out.append((text[:length], current[0] if len({d.code for d in current}) == 1 else None))
        return out

    def match(
        self, text: str, watch: list[str] | None = None
    ) -> tuple[str, Division | None] | None:
        """The longest name at the start of ``text`` (see ``matches``)."""
        found = self.matches(text, watch)
        return found[0] if found else None


def _index(divisions: Iterable[Division]) -> _Index:
    return _Index((name, d) for d in divisions for name in _variants(d))


class AddressParser:
    """Built once from the division table (see ``Divisions.parse_address``)."""

    def __init__(
        self,
        rows: Sequence[Division],
        towns: dict[str, tuple[str, ...]],
        municipalities: frozenset[str],
    ) -> None:
        self._municipalities = municipalities
        self._towns = towns
        self._provinces = _index(d for d in rows if d.level == "province")
        self._cities = _index(d for d in rows if d.level == "city")
        self._counties = _index(d for d in rows if d.level == "county")
        by_parent: dict[str, list[Division]] = defaultdict(list)
        by_province: dict[str, list[Division]] = defaultdict(list)
        for d in rows:
            if d.parent:
                by_parent[d.parent].append(d)
            if d.level == "county":
                by_province[d.code[:2]].append(d)
        self._children = {code: _index(ds) for code, ds in by_parent.items()}
        self._province_counties = {p: _index(ds) for p, ds in by_province.items()}
        self._town_index: dict[str, list[str]] = {
            code: sorted(names, key=len, reverse=True) for code, names in towns.items()
        }

    def parse(self, text: str, watch: list[str] | None = None) -> AddressParts:
        """The parts of ``text``; ``watch`` collects every place where a longer text could
        have matched a longer name (see ``cut_of_head``)."""
        rest = text.strip()
        for country in ("中华人民共和国", "中国"):
            if rest.startswith(country) and self._provinces.match(
                rest[len(country) :].lstrip(), watch
            ):
                rest = rest[len(country) :].lstrip()
        # Several readings can start the same text (济南市中区: 济南市 + 中区, or 济南 + 市中区;
        # 海南藏族自治州: 海南省?); the one that reaches deepest wins, the longest names first.
        options = [m for m in self._provinces.matches(rest, watch) if m[1] is not None]
        best: AddressParts | None = None
        for found in [*options, None]:
            if found is None:
                parts = self._below_province(rest, None, None, watch)
            else:
                province, division = found
                assert division is not None
                parts = self._below_province(rest[len(province) :], province, division.code, watch)
            if best is None or _depth(parts) > _depth(best):
                best = parts
            if best.district_code:
                break
        assert best is not None
        return best

    def cut_of_head(self, head: str, level: CutLevel) -> str | None:
        """The cut of every address that starts with ``head``, or None when the rest of an
        address could change it. It cannot when ``head`` reads to a known county and no name
        lookup on the way could have matched a longer name in a longer text: the first
        reading that reaches a known county wins, whatever follows (towns only rank readings
        that reach none). The town level always depends on the rest."""
        watch: list[str] = []
        parts = self.parse(head, watch)
        if level == "town" or parts.district_code is None or watch:
            return None
        return parts.cut(level)

    def _below_province(
        self, rest: str, province: str | None, p_code: str | None, watch: list[str] | None
    ) -> AddressParts:
        if p_code in self._municipalities:
            again = self._provinces.match(rest, watch)  # 重庆市重庆市渝中区
            if again and again[1] is not None and again[1].code == p_code:
                rest = rest[len(again[0]) :]
            return self._below_city(rest, province, p_code, province, p_code, watch)
        scope = self._children.get(p_code) if p_code else self._cities
        options = [
            m
            for m in (scope.matches(rest, watch) if scope else [])
            if m[1] is None or m[1].level == "city"
        ]
        best: AddressParts | None = None
        for found in [*options, None]:
            if found is None:
                parts = self._below_city(rest, province, p_code, None, None, watch)
            else:
                city, division = found
                c_code = division.code if division else None
                parent = division.parent if division else None
                parts = self._below_city(
                    rest[len(city) :], province, p_code or parent, city, c_code, watch
                )
            if best is None or _depth(parts) > _depth(best):
                best = parts
            if best.district_code:
                break
        assert best is not None
        return best

    def _below_city(
        self,
        rest: str,
        province: str | None,
        p_code: str | None,
        city: str | None,
        c_code: str | None,
        watch: list[str] | None = None,
    ) -> AddressParts:
        district = d_code = None
        found = next(
            filter(None, (s.match(rest, watch) for s in self._county_scopes(p_code, c_code))),
            None,
        )
        if found:
            district, rest = found[0], rest[len(found[0]) :]
            if found[1] is not None:
                d_code = found[1].code
                if c_code is None and found[1].parent != p_code:
                    c_code = found[1].parent
                p_code = p_code or d_code[:2] + "0000"
        town = self._town(rest, d_code or c_code)
        if town:
            rest = rest[len(town) :]
        return AddressParts(province, city, district, town, rest, p_code, c_code, d_code)

    def _town(self, rest: str, code: str | None) -> str | None:
        if code:
            for name in self._town_index.get(code, ()):
                if rest.startswith(name):
                    return name
        guess = _TOWN_FALLBACK.match(rest)
        if guess and not _NOT_A_TOWN.search(guess.group(0)[:-1]):
            return guess.group(0)
        return None

    def _county_scopes(self, p_code: str | None, c_code: str | None) -> list[_Index]:
        scopes = []
        if c_code and c_code != p_code and c_code in self._children:
            scopes.append(self._children[c_code])
        if p_code and p_code[:2] in self._province_counties:
            scopes.append(self._province_counties[p_code[:2]])
        return scopes or [self._counties]
