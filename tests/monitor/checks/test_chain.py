from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import text

from medshield.ledger import Ledger
from medshield.monitor import Window, run_checks
from medshield.monitor.checks.chain import ChainCheck
from medshield.registry import NoParams


def test_intact_chain_has_no_finding(ledger: Ledger, history: Callable[..., None]) -> None:
    history(5, 10)
    assert ChainCheck(NoParams()).run(ledger, Window(*(2 * [datetime.now()]), [])) == []


def test_tampered_record_is_a_critical_alert(
    ledger: Ledger, history: Callable[..., None], now: datetime
) -> None:
    history(5, 10, actor="doctor-1")
    with ledger.engine.begin() as conn:
        conn.execute(text("UPDATE ledger_records SET body = replace(body, 'doctor-1', 'doctor-2')"
                          " WHERE seq = 3"))  # fmt: skip
    run = run_checks(ledger, window=timedelta(minutes=5), now=now, only=["chain"])
    [finding] = run.recorded
    assert finding.severity == "critical" and finding.detail["first_bad_seq"] == 3
    [alert] = list(ledger.records(action_prefix="alert.chain"))
    assert alert.event.outcome == "alert"
