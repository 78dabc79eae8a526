"""Routing, de-duplication, rate limit, retries with backoff, escalation and recovery."""

from __future__ import annotations

from typing import Any

import pytest

from medshield.ledger import Ledger
from medshield.notify import Alert, Notifier, acknowledge, open_alerts
from medshield.notify.channels.recording import RecordingChannel
from medshield.notify.channels.webhook import WebhookChannel, WebhookParams
from medshield.policy.notify import NotifySection

from .conftest import Receiver


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def section(**extra: Any) -> NotifySection:
    return NotifySection.model_validate({
        "channels": [{"id": "ops", "kind": "recording"}, {"id": "boss", "kind": "recording"},
                     {"id": "h2-team", "kind": "recording"}],
        "routes": [
            {"min_severity": "low", "channels": ["ops"], "escalate_to": ["boss"],
             "escalate_after_s": 600},
            {"min_severity": "high", "institutions": ["h2"], "channels": ["h2-team"]},
        ],
        "retry_base_s": 1, "retry_max_s": 8, **extra,
    })  # fmt: skip


def channels(sec: NotifySection) -> dict[str, Any]:
    return {c.id: RecordingChannel() for c in sec.channels}


def actions(ledger: Ledger) -> list[str]:
    return [r.event.action for r in ledger.records(action_prefix="notify.")]


def test_routes_by_severity_and_institution(ledger: Ledger) -> None:
    sec = section()
    chans = channels(sec)
    notifier = Notifier(ledger, sec, chans, clock=Clock())
    notifier.raise_alert(Alert("x", "high", "高危", subject="a", institution="h2"))
    notifier.raise_alert(Alert("x", "medium", "中危", subject="b", institution="h2"))
    assert [a.title for a in chans["ops"].delivered] == ["高危", "中危"]
    assert [a.title for a in chans["h2-team"].delivered] == ["高危"]
    assert actions(ledger).count("notify.delivered") == 3


def test_duplicates_within_the_window_are_one_alert(ledger: Ledger) -> None:
    sec, clock = section(dedup_seconds=300), Clock()
    chans = channels(sec)
    notifier = Notifier(ledger, sec, chans, clock=clock)
    first = notifier.raise_alert(Alert("probe.failed", "low", "拨测失败", subject="api1"))
    assert notifier.raise_alert(Alert("probe.failed", "low", "拨测失败", subject="api1")) is None
    clock.now += 301
    assert notifier.raise_alert(Alert("probe.failed", "low", "拨测失败", subject="api1"))
    assert len(chans["ops"].delivered) == 2
    dup = next(r for r in ledger.records(action_prefix="notify.deduplicated"))
    assert first is not None and dup.event.detail["of"] == first.seq


def test_rate_limit_delays_but_loses_nothing(ledger: Ledger) -> None:
    sec, clock = section(rate_per_minute=2), Clock()
    chans = channels(sec)
    notifier = Notifier(ledger, sec, chans, clock=clock)
    for n in range(3):
        notifier.raise_alert(Alert("x", "low", f"告警{n}", subject=str(n)))
    assert len(chans["ops"].delivered) == 2 and len(notifier.pending) == 1
    clock.now += 61
    assert notifier.pump() == 1
    assert [a.title for a in chans["ops"].delivered] == ["告警0", "告警1", "告警2"]


def test_a_failing_receiver_is_retried_with_backoff_until_delivered(
    ledger: Ledger, receiver: Receiver
) -> None:
    sec = NotifySection.model_validate({
        "channels": [{"id": "robot", "kind": "webhook", "params": {"url": receiver.url}}],
        "routes": [{"channels": ["robot"]}], "retry_base_s": 1, "retry_max_s": 4,
    })  # fmt: skip
    clock = Clock()
    chans = {"robot": WebhookChannel(WebhookParams(url=receiver.url))}
    notifier = Notifier(ledger, sec, chans, clock=clock)  # type: ignore[arg-type]
    receiver.fail = 4
    alerts = [
        notifier.raise_alert(Alert("x", "high", f"告警{n}", subject=str(n))) for n in range(2)
    ]
    for _ in range(20):
        clock.now += 1
        notifier.pump()
    assert not notifier.pending
    assert sorted(b["markdown"]["title"] for b in receiver.bodies) == ["告警0", "告警1"]
    failed = [r.event.detail for r in ledger.records(action_prefix="notify.failed")]
    assert len(failed) == 4
    waits = [f["retry_in_s"] for f in failed if f["alert"] == alerts[0].seq]  # type: ignore[union-attr]
    assert waits == sorted(waits) and waits[0] == 1


def test_unacknowledged_alerts_escalate_and_acknowledged_ones_do_not(ledger: Ledger) -> None:
    sec, clock = section(), Clock()
    chans = channels(sec)
    notifier = Notifier(ledger, sec, chans, clock=clock)
    kept = notifier.raise_alert(Alert("x", "low", "无人处理", subject="a"))
    taken = notifier.raise_alert(Alert("x", "low", "已认领", subject="b"))
    assert kept and taken
    acknowledge(ledger, taken.seq, "duty-officer")  # type: ignore[arg-type]
    clock.now += 599
    assert notifier.escalate() == 0
    clock.now += 2
    assert notifier.escalate() == 1 and notifier.pump() == 1
    assert [a.title for a in chans["boss"].delivered] == ["无人处理"]
    assert notifier.escalate() == 0  # once
    assert [a["title"] for a in open_alerts(ledger)] == ["无人处理"]


def test_a_new_process_recovers_undelivered_alerts_from_the_ledger(
    ledger: Ledger, receiver: Receiver
) -> None:
    sec = NotifySection.model_validate({
        "channels": [{"id": "robot", "kind": "webhook", "params": {"url": receiver.url}}],
        "routes": [{"channels": ["robot"]}],
    })  # fmt: skip
    receiver.fail = 100
    Notifier(ledger, sec, clock=Clock()).raise_alert(Alert("x", "high", "宕机期间", subject="s"))
    receiver.fail = 0
    restarted = Notifier(ledger, sec, clock=Clock())  # the first process stopped
    assert restarted.recover() == 1 and restarted.pump() == 1
    assert [b["markdown"]["title"] for b in receiver.bodies] == ["宕机期间"]
    assert restarted.recover() == 0


def test_ack_of_something_that_is_not_an_alert(ledger: Ledger) -> None:
    from medshield.errors import UnknownAlertError

    with pytest.raises(UnknownAlertError):
        acknowledge(ledger, 99, "x")
