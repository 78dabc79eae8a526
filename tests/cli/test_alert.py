"""``medshield alert list|ack``: open alerts from the ledger; an acknowledgement closes one."""

from __future__ import annotations

import json

import pytest

from medshield.ledger import open_ledger
from medshield.notify import Alert, Notifier
from medshield.policy import load_bundle

from .conftest import Medshield


def test_list_then_ack(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, medshield: Medshield
) -> None:
    monkeypatch.setenv("MEDSHIELD_STORE_URL", sqlite_url)
    with open_ledger(sqlite_url) as ledger:
        raised = Notifier(ledger, load_bundle().notify).raise_alert(
            Alert("probe.failed", "high", "拨测失败", subject="patient.summary")
        )
    assert raised is not None and raised.seq is not None
    code, out, err = medshield("alert", "list", "--format", "json")
    assert code == 0, err
    (row,) = json.loads(out)
    assert row["seq"] == raised.seq and row["delivered"] == 1
    code, out, err = medshield(
        "alert", "ack", str(raised.seq), "--actor", "duty", "--format", "json"
    )
    assert code == 0, err
    assert json.loads(out)[0]["alert"] == raised.seq
    assert json.loads(medshield("alert", "list", "--format", "json")[1]) == []
    code, _, err = medshield("alert", "ack", str(raised.seq), "--actor", "duty")
    assert code != 0 and "error[MS982]" in err


def test_forward_sends_alert_events_once(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, medshield: Medshield
) -> None:
    from medshield.ledger import Event

    monkeypatch.setenv("MEDSHIELD_STORE_URL", sqlite_url)
    with open_ledger(sqlite_url) as ledger:
        ledger.append(Event(action="gateway.alert", actor="gateway", outcome="alert"))
    code, out, err = medshield("alert", "forward", "--format", "json")
    assert code == 0, err
    assert json.loads(out) == [{"forwarded": 1, "pending": 0}]
    assert json.loads(medshield("alert", "forward", "--format", "json")[1])[0]["forwarded"] == 0
    (row,) = json.loads(medshield("alert", "list", "--format", "json")[1])
    assert row["kind"] == "gateway.alert" and row["delivered"] == 1
