"""Timestamps as servers write them, parsed once per distinct string (logs repeat seconds)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

_DIGITS = re.compile(r"\d*")
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
        start=1,
    )
}


class TimestampCache:
    """Parses ``Mon dd HH:MM:SS`` (syslog, no year) and ISO 8601 stamps; caches the last ones.

    A syslog stamp takes the given year, or the current one unless that puts it in the future.
    """

    def __init__(self, year: int | None = None) -> None:
        self.fixed_year = year is not None
        self.now = datetime.now(UTC)
        self.year = year if year is not None else self.now.year
        # Each stamp read lately and its time (None: not a time): ``seen.get(stamp) or
        # syslog(stamp)`` spares a hot loop the call for a stamp read before.
        self.seen: dict[str, datetime | None] = {}
        self._fractions: dict[str, timedelta] = {}  # fraction of a second -> its delta

    def syslog(self, stamp: str) -> datetime | None:
        """``Feb 25 14:34:10`` or ``Feb 7 16:01:07`` in the cache's year, UTC; None if invalid."""
        cached = self.seen.get(stamp)
        if cached is not None or stamp in self.seen:
            return cached
        value: datetime | None
        try:
            month, day, clock = stamp.split()
            hh, mm, ss = clock.split(":")
            value = datetime(
                self.year, _MONTHS[month], int(day), int(hh), int(mm), int(ss), tzinfo=UTC
            )
        except (KeyError, ValueError):
            value = None
        if value is not None and not self.fixed_year and (value - self.now).days >= 1:
            value = value.replace(year=self.year - 1)  # a stamp "in the future" is last year's
        return self._remember(stamp, value)

    def iso(self, stamp: str) -> datetime | None:
        """ISO 8601 with or without zone (naive means UTC); ``2015-04-16 18:02:50.3 UTC`` too.

        The fraction of a second is taken apart, so stamps of the same second share one parse;
        it is added back as a cached timedelta (``replace`` costs ten times as much).
        """
        if len(stamp) > 19 and stamp[19] == ".":
            end = stamp.find(" ", 20)  # the fraction ends at the zone's space or the end, mostly
            fraction = stamp[20:] if end < 0 else stamp[20:end]
            if not fraction.isdecimal():
                end = _DIGITS.match(stamp, 20).end()  # type: ignore[union-attr]  # \d* matches
                fraction = stamp[20:end]
            elif end < 0:
                end = len(stamp)
            base = self._whole(stamp[:19] + stamp[end:])
            if base is None or end == 20:
                return base
            delta = self._fractions.get(fraction)
            if delta is None:
                delta = self._fractions[fraction] = timedelta(
                    microseconds=int(fraction[:6].ljust(6, "0"))
                )
                if len(self._fractions) > 4096:
                    self._fractions.clear()
            if base.microsecond:  # a zone part that fromisoformat read as a fraction
                return base.replace(microsecond=delta.microseconds)
            return base + delta
        return self._whole(stamp)

    def _whole(self, stamp: str) -> datetime | None:
        cached = self.seen.get(stamp)
        if cached is not None or stamp in self.seen:
            return cached
        text = stamp.replace(" UTC", "+00:00").replace(" CST", "+08:00").replace(" GMT", "+00:00")
        value: datetime | None
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            value = None
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return self._remember(stamp, value)

    def _remember(self, stamp: str, value: datetime | None) -> datetime | None:
        if len(self.seen) > 4096:
            self.seen.clear()
        self.seen[stamp] = value
        return value
