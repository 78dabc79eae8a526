"""Is a six-digit administrative division code (GB/T 2260) one that exists or existed?"""

from __future__ import annotations

from medshield.elements.divisions import divisions

PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46}
    | {50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82}
)


def province_ok(code: str) -> bool:
    """The first two digits name a province (a prefix of a masked ID is checked this way)."""
    return len(code) >= 2 and code[:2].isdigit() and int(code[:2]) in PROVINCES


def region_ok(code6: str) -> bool:
    """A division code in the shipped table, historic codes included (old IDs keep them)."""
    return province_ok(code6) and divisions().is_valid_region(code6)
