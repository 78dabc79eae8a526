from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from medshield.ledger import Ledger
from medshield.monitor import Window
from medshield.monitor.checks.storm import AlertStormCheck


def _run(ledger: Ledger, now: datetime, threshold: int) -> list[tuple[str, int]]:
    start = now - timedelta(minutes=5)
    window = Window(start, now, list(ledger.records(since=start, until=now)))
    check = AlertStormCheck(AlertStormCheck.Params(threshold=threshold))
    return [(f.subject, f.count) for f in check.run(ledger, window)]


def test_storm_of_alerts_inside_the_window(
    ledger: Ledger, history: Callable[..., None], now: datetime
) -> None:
    history(7, 30, action="audit.sql", outcome="alert")
    history(3, 30, action="api.intercept", outcome="alert")
    history(50, 900, action="audit.sql", outcome="alert")  # an older storm, outside the window
    history(5, 30, action="alert.deny_burst", actor="medshield-monitor", outcome="alert")
    assert _run(ledger, now, 10) == [("ledger", 10)]
    assert _run(ledger, now, 11) == []
