from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from medshield.errors import InputError, PolicyError
from medshield.ledger import Ledger
from medshield.monitor import parse_window, run_checks, run_every

FIVE_MIN = timedelta(minutes=5)
ONLY_BURSTS = ("deny_burst", "alert_storm")


def test_findings_are_recorded_as_alert_events(
    ledger: Ledger, history: Callable[..., None], now: datetime
) -> None:
    history(6, 60, actor="u1", outcome="deny", source_ip="10.1.2.3")
    run = run_checks(ledger, window=FIVE_MIN, now=now, only=ONLY_BURSTS,
                     params={"deny_burst": {"threshold": 5}})  # fmt: skip
    assert {f.subject for f in run.recorded} == {"actor:u1", "ip:10.1.2.3"}
    alerts = list(ledger.records(action_prefix="alert."))
    assert [r.seq for r in alerts] == [r.seq for r in run.receipts]
    assert {r.event.action for r in alerts} == {"alert.deny_burst"}
    assert all(r.event.outcome == "alert" and r.event.detail["count"] == 6 for r in alerts)
    assert ledger.verify().ok


def test_a_burst_is_recorded_once_per_window(
    ledger: Ledger, history: Callable[..., None], now: datetime
) -> None:
    history(6, 60, actor="u1", outcome="deny")
    params = {"deny_burst": {"threshold": 5}}
    first = run_checks(ledger, window=FIVE_MIN, now=now, only=ONLY_BURSTS, params=params)
    again = run_checks(ledger, window=FIVE_MIN, now=now + timedelta(seconds=30),
                       only=ONLY_BURSTS, params=params)  # fmt: skip
    assert len(first.recorded) == 1
    assert len(again.findings) == 1 and again.recorded == []


def test_monitor_alerts_do_not_feed_the_storm_check(
    ledger: Ledger, history: Callable[..., None], now: datetime
) -> None:
    history(6, 30, actor="u1", outcome="deny")
    params = {"deny_burst": {"threshold": 1}, "alert_storm": {"threshold": 2}}
    first = run_checks(ledger, window=FIVE_MIN, now=now, only=ONLY_BURSTS, params=params)
    assert [f.check for f in first.recorded] == ["deny_burst"]
    second = run_checks(ledger, window=FIVE_MIN, now=now, only=ONLY_BURSTS, params=params)
    assert [f.check for f in second.findings] == ["deny_burst"]


def test_unknown_check_and_bad_params_are_errors(ledger: Ledger, now: datetime) -> None:
    with pytest.raises(InputError):
        run_checks(ledger, window=FIVE_MIN, now=now, only=["nope"])
    with pytest.raises(PolicyError):
        run_checks(ledger, window=FIVE_MIN, now=now, only=["deny_burst"],
                   params={"deny_burst": {"threshold": 0}})  # fmt: skip


def test_run_every_runs_max_runs_times(ledger: Ledger, history: Callable[..., None]) -> None:
    waits: list[float] = []
    runs = run_every(ledger, every=0.5, max_runs=3, window=FIVE_MIN, sleep=waits.append)
    assert len(runs) == 3 and len(waits) == 2 and all(0 <= w <= 0.5 for w in waits)
    with pytest.raises(InputError):
        run_every(ledger, every=0, max_runs=1, window=FIVE_MIN)


@pytest.mark.parametrize(
    ("text", "seconds"), [("30s", 30), ("5m", 300), ("1h", 3600), ("2d", 172800), ("90", 90)]
)
def test_parse_window(text: str, seconds: int) -> None:
    assert parse_window(text).total_seconds() == seconds


@pytest.mark.parametrize("text", ["", "5x", "-1m", "0s", "m"])
def test_parse_window_refuses_bad_text(text: str) -> None:
    with pytest.raises(InputError):
        parse_window(text)
