"""Scheduled log analysis (R16): run the ledger checks over a window, record what they find.

Each finding is appended to the ledger as an ``alert.<check>`` event with outcome ``alert``. A
finding already recorded for the same check and subject within the window is not recorded again,
so a check run every minute over a five-minute window raises one alert per burst, not five.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from medshield.errors import InputError
from medshield.ledger.events import Event
from medshield.monitor.checks import Finding, Window, check_registry
from medshield.registry import check_params

MONITOR_ACTOR = "medshield-monitor"
ALERT_PREFIX = "alert."
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_window(text: str) -> timedelta:
    """``"90s"``, ``"5m"``, ``"1h"``, ``"2d"`` (a bare number is seconds) as a timedelta."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text)
    if not match or float(match.group(1)) <= 0:
        raise InputError(f"bad window {text!r}: use e.g. 30s, 5m, 1h, 2d", where="--window")
    return timedelta(seconds=float(match.group(1)) * _UNITS[match.group(2) or "s"])


@dataclass(frozen=True)
class CheckRun:
    """One run: the window, every finding, and those newly recorded in the ledger."""

    window: Window
    findings: list[Finding]
    recorded: list[Finding]
    receipts: list[Any]


def finding_event(finding: Finding, window: Window) -> Event:
    return Event(
        action=f"{ALERT_PREFIX}{finding.check}",
        actor=MONITOR_ACTOR,
        outcome="alert",
        at=window.end,
        reasons=(finding.message,),
        detail={
            "subject": finding.subject,
            "count": finding.count,
            "severity": finding.severity,
            "window_start": window.start.isoformat(),
            "window_end": window.end.isoformat(),
            **finding.detail,
        },
    )


def _already(window: Window, finding: Finding) -> bool:
    action = f"{ALERT_PREFIX}{finding.check}"
    return any(
        r.event.action == action and r.event.detail.get("subject") == finding.subject
        for r in window.records
    )


def run_checks(
    ledger: Any,
    *,
    window: timedelta,
    now: datetime | None = None,
    params: Mapping[str, Mapping[str, Any]] | None = None,
    only: Iterable[str] | None = None,
    record: bool = True,
) -> CheckRun:
    """Run the checks once over the ``window`` ending ``now``; record new findings."""
    end = now or datetime.now(UTC)
    start = end - window
    span = Window(start, end, list(ledger.records(since=start, until=end)))
    registry = check_registry()
    names = list(only) if only is not None else registry.names()
    findings: list[Finding] = []
    for name in names:
        cls = registry.get(name)
        settings = check_params(cls, dict((params or {}).get(name, {})), where=f"check {name}")
        findings.extend(cls(settings).run(ledger, span))
    new = [f for f in findings if not _already(span, f)] if record else []
    receipts = ledger.append_many([finding_event(f, span) for f in new]) if new else []
    return CheckRun(span, findings, new, list(receipts))


def run_every(
    ledger: Any,
    *,
    every: float,
    max_runs: int,
    window: timedelta,
    params: Mapping[str, Mapping[str, Any]] | None = None,
    on_run: Callable[[int, CheckRun], None] = lambda _n, _r: None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[CheckRun]:
    """Run the checks ``max_runs`` times, ``every`` seconds apart."""
    if every <= 0 or max_runs < 1:
        raise InputError("--every must be above 0 and --max-runs at least 1")
    runs: list[CheckRun] = []
    for number in range(1, max_runs + 1):
        started = time.monotonic()
        run = run_checks(ledger, window=window, params=params)
        runs.append(run)
        on_run(number, run)
        if number < max_runs:
            sleep(max(0.0, every - (time.monotonic() - started)))
    return runs
