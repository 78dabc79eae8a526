"""Is a six-digit administrative division code (GB/T 2260) plausible?

Uses the division table of ``medshield.elements.divisions`` when it is present; without it only
the province prefix is checked.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache

PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46}
    | {50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82}
)


def province_ok(code: str) -> bool:
    return len(code) >= 2 and code[:2].isdigit() and int(code[:2]) in PROVINCES


@cache
def _table_check() -> Callable[[str], bool] | None:
    try:
        module = importlib.import_module("medshield.elements.divisions")
    except ImportError:
        return None
    table = module.divisions()
    check: Callable[[str], bool] = table.is_valid_region
    return check


def region_ok(code6: str) -> bool:
    """Province known and, when the division table is available, the code is in it."""
    if not province_ok(code6):
        return False
    check = _table_check()
    return True if check is None else check(code6)
