"""The time window of a report, and the local clock its hours and days are read in."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo

from medshield.errors import InputError

LOCAL: tzinfo = ZoneInfo("Asia/Shanghai")
LOCAL_OFFSET_S = 8 * 3600  # China keeps UTC+8 all year: hours and days without a zone lookup


def parse_instant(text: str, *, where: str) -> datetime:
    """``2026-11-01`` or an ISO timestamp; a naive value is local (Asia/Shanghai) time."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"not a date or ISO timestamp: {text!r}", where=where) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=LOCAL)
    return value.astimezone(UTC)


def check_window(since: datetime, until: datetime) -> None:
    if until <= since:
        raise InputError("--to must be after --from", where="--to")
