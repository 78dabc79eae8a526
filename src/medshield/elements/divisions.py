"""Administrative divisions of China (GB/T 2260): provinces, prefecture cities, counties, towns.

The table ships as ``data/divisions.tsv`` (code, level, name, short name, parent, historic) and
``data/towns.tsv`` (the 乡镇/街道 of each county). Historic rows are codes that were withdrawn
(梁平县 500228, 许昌县 411023, ...): they no longer name a place but still stand at the head of
many resident ID numbers, so :meth:`Divisions.is_valid_region` accepts them.
"""

from __future__ import annotations

from functools import cache, cached_property
from importlib.resources import files

from medshield.elements.address import (
    AddressParser,
    AddressParts,
    CutLevel,
    Division,
    DivisionLevel,
)

__all__ = ["MUNICIPALITIES", "Division", "DivisionLevel", "Divisions", "divisions"]

# 直辖市: the province is also the city; counties hang directly under the province code.
MUNICIPALITIES = frozenset({"110000", "120000", "310000", "500000"})
# Grouping rows that are no place of their own (省直辖行政区划: counties directly under a province).
_PLACEHOLDER = "直辖行政区划"


class Divisions:
    """The division table: look-ups by code, address parsing, choices for generators."""

    def __init__(self, rows: list[Division], towns: dict[str, tuple[str, ...]]) -> None:
        self._by_code = {d.code: d for d in rows}
        self._towns = towns
        self._counties: dict[tuple[str, bool], tuple[Division, ...]] = {}

    def __len__(self) -> int:
        return len(self._by_code)

    def get(self, code6: str) -> Division | None:
        return self._by_code.get(code6)

    def name(self, code6: str) -> str | None:
        """The name of the division with this code (historic names included), else None."""
        found = self._by_code.get(code6)
        return found.name if found else None

    def is_valid_region(self, code6: str) -> bool:
        """True when ``code6`` is a division code that exists or existed (ID-number heads)."""
        return len(code6) == 6 and code6 in self._by_code

    def path(self, code6: str) -> tuple[Division, ...]:
        """Province, city, county down to ``code6`` (a municipality has no separate city)."""
        chain: list[Division] = []
        current = self._by_code.get(code6)
        while current is not None:
            chain.append(current)
            current = self._by_code.get(current.parent) if current.parent else None
        return tuple(reversed(chain))

    def full_name(self, code6: str) -> str:
        """``重庆市渝中区``, ``四川省成都市武侯区``: the names along the path, joined."""
        return "".join(d.name for d in self.path(code6) if not d.name.endswith(_PLACEHOLDER))

    def provinces(self) -> tuple[Division, ...]:
        return tuple(d for d in self._by_code.values() if d.level == "province")

    def children(self, code6: str, *, historic: bool = False) -> tuple[Division, ...]:
        return tuple(
            d for d in self._by_code.values() if d.parent == code6 and (historic or not d.historic)
        )

    def counties_of(self, prefix: str, *, historic: bool = False) -> tuple[Division, ...]:
        """Counties and districts whose code starts with ``prefix`` ("50", "5101", "500103")."""
        key = (prefix, historic)
        if key not in self._counties:
            self._counties[key] = tuple(
                d
                for code, d in self._by_code.items()
                if d.level == "county" and code.startswith(prefix) and (historic or not d.historic)
            )
        return self._counties[key]

    def towns_of(self, code6: str) -> tuple[str, ...]:
        """The towns and street offices (乡镇/街道) of a county, ``()`` when unknown."""
        return self._towns.get(code6, ())

    @cached_property
    def _parser(self) -> AddressParser:
        return AddressParser(list(self._by_code.values()), self._towns, MUNICIPALITIES)

    def parse_address(self, text: str) -> AddressParts:
        """Split a Chinese address into province, city, district, town and the rest."""
        return self._parser.parse(text)

    def cut_of_head(self, head: str, level: CutLevel) -> str | None:
        """The cut shared by every address starting with ``head``, or None (see
        ``AddressParser.cut_of_head``)."""
        return self._parser.cut_of_head(head, level)


def _read(name: str) -> list[list[str]]:
    text = files("medshield.elements").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


@cache
def divisions() -> Divisions:
    """The shipped division table (loaded once)."""
    rows = [
        Division(
            code=code,
            level=level,  # type: ignore[arg-type]
            name=name,
            short=short,
            parent=parent or None,
            historic=historic == "1",
        )
        for code, level, name, short, parent, historic in _read("divisions.tsv")
    ]
    towns = {code: tuple(names.split("|")) for code, names in _read("towns.tsv")}
    return Divisions(rows, towns)
