"""Which staff layers open which console page (R9: each role sees its part).

Actions on a page (the review queue) are admin actions, decided by ``governance.authorize``.
"""

from __future__ import annotations

from medshield.errors import ConsoleRoleError
from medshield.web.auth import STAFF_LAYERS, Staff

_OPS = ("office", "administrator", "supervisor")

PAGES: dict[str, tuple[str, ...]] = {
    "overview": STAFF_LAYERS,
    "catalog": STAFF_LAYERS,
    "review": ("office", "administrator"),
    "masking": _OPS,
    "traffic": _OPS,
    "alerts": STAFF_LAYERS,
    "audit": _OPS,
    "lineage": _OPS,
    "reports": STAFF_LAYERS,
    "ledger": _OPS,
}

# The navigation, in order: page key and its path under the console.
NAV: tuple[tuple[str, str], ...] = (
    ("overview", "/"),
    ("catalog", "/catalog"),
    ("review", "/review"),
    ("masking", "/masking"),
    ("traffic", "/traffic"),
    ("alerts", "/alerts"),
    ("audit", "/audit"),
    ("lineage", "/lineage"),
    ("reports", "/reports"),
    ("ledger", "/ledger"),
)


def may_open(staff: Staff, page: str) -> bool:
    return bool(staff.layers & set(PAGES.get(page, ())))


def require(staff: Staff, page: str) -> None:
    if not may_open(staff, page):
        raise ConsoleRoleError(f"{staff.id} may not open {page}", where=page)
