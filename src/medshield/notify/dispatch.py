"""Raising alerts: de-duplicate, route, deliver with a rate limit, retry with backoff, escalate.

Every step is a ledger event: ``notify.alert`` (its seq is the alert's number),
``notify.deduplicated``, ``notify.delivered``, ``notify.failed``, ``notify.escalated``; ``notify.ack``
comes from ``ack.acknowledge``. A failed delivery stays queued and is retried with exponential
backoff until it goes through: no alert is dropped. ``recover`` re-queues, from the ledger alone,
the deliveries a stopped process had not made.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from medshield.errors import DeliveryError
from medshield.ledger import Event, Ledger
from medshield.notify.ack import ALERT, is_acknowledged
from medshield.notify.alert import Alert
from medshield.notify.build import build_channels
from medshield.notify.channels import Channel
from medshield.policy.notify import NotifySection, RouteDef
from medshield.service.sms import SmsSender

ACTOR = "notify"


@dataclass
class Delivery:
    alert: Alert
    channel: str
    attempt: int = 0
    due: float = 0.0


@dataclass
class _Open:
    alert: Alert
    routes: list[RouteDef]
    raised: float
    escalated: bool = False


class Notifier:
    def __init__(
        self,
        ledger: Ledger,
        section: NotifySection,
        channels: dict[str, Channel] | None = None,
        *,
        sms: SmsSender | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.ledger = ledger
        self.section = section
        self.channels = channels if channels is not None else build_channels(section, sms)
        self.clock = clock
        self.pending: list[Delivery] = []
        self._seen: dict[str, tuple[float, int]] = {}  # fingerprint -> (time, alert seq)
        self._sent: dict[str, list[float]] = {}  # channel -> delivery times in the last minute
        self._open: dict[int, _Open] = {}

    def _event(self, action: str, about: Alert, outcome: str = "info", **detail: Any) -> int:
        event = Event(
            action=action, actor=ACTOR, outcome=outcome, institution=about.institution,  # type: ignore[arg-type]
            reasons=(about.title,), detail=detail,
        )  # fmt: skip
        return self.ledger.append(event).seq

    # --- raising --------------------------------------------------------------------------
    def raise_alert(self, alert: Alert) -> Alert | None:
        """Record and send ``alert``; None when it repeats one inside the de-duplication window."""
        now = self.clock()
        seen = self._seen.get(alert.fingerprint)
        if seen is not None and now - seen[0] < self.section.dedup_seconds:
            self._event(
                "notify.deduplicated", alert, of=seen[1], fingerprint=alert.fingerprint,
                source_seq=alert.source_seq,
            )  # fmt: skip
            return None
        routes = [
            r for r in self.section.routes
            if r.matches(alert.severity, alert.team, alert.institution)
        ]  # fmt: skip
        channels = list(dict.fromkeys(c for r in routes for c in r.channels))
        seq = self._event(
            ALERT, alert, "alert", kind=alert.kind, severity=alert.severity, title=alert.title,
            body=alert.body, subject=alert.subject, team=alert.team,
            fingerprint=alert.fingerprint, channels=channels, source_seq=alert.source_seq,
        )  # fmt: skip
        alert = replace(alert, seq=seq)
        self._seen[alert.fingerprint] = (now, seq)
        self._open[seq] = _Open(alert, routes, now)
        self.pending.extend(Delivery(alert, c, due=now) for c in channels)
        self.pump()
        return alert

    # --- delivering -----------------------------------------------------------------------
    def _room(self, channel: str, now: float) -> bool:
        recent = [t for t in self._sent.get(channel, []) if now - t < 60.0]
        self._sent[channel] = recent
        return len(recent) < self.section.rate_per_minute

    def pump(self) -> int:
        """Try every delivery that is due; returns how many went through."""
        done = 0
        for item in sorted(self.pending, key=lambda d: d.due):
            now = self.clock()
            if item.due > now or not self._room(item.channel, now):
                continue  # not yet due, or the channel's minute is full: kept for later
            try:
                self.channels[item.channel].deliver(item.alert)
            except DeliveryError as exc:
                item.attempt += 1
                wait = min(
                    self.section.retry_max_s, self.section.retry_base_s * 2 ** (item.attempt - 1)
                )
                item.due = now + wait
                self._event(
                    "notify.failed", item.alert, "alert", alert=item.alert.seq,
                    channel=item.channel, attempt=item.attempt, retry_in_s=wait, error=exc.render(),
                )  # fmt: skip
                continue
            self._sent[item.channel].append(now)
            self.pending.remove(item)
            self._event("notify.delivered", item.alert, alert=item.alert.seq,
                        channel=item.channel, attempt=item.attempt + 1)  # fmt: skip
            done += 1
        return done

    # --- escalating -----------------------------------------------------------------------
    def escalate(self) -> int:
        """Send alerts unacknowledged past their route's limit to the route's escalation."""
        now, count = self.clock(), 0
        for seq, item in list(self._open.items()):
            if is_acknowledged(self.ledger, seq):
                del self._open[seq]
                continue
            if item.escalated:
                continue
            late = [
                r for r in item.routes if r.escalate_to and now - item.raised >= r.escalate_after_s
            ]
            if not late:
                continue
            targets = list(dict.fromkeys(c for r in late for c in r.escalate_to))
            item.escalated = True
            self._event("notify.escalated", item.alert, "alert", alert=seq, channels=targets)
            self.pending.extend(Delivery(item.alert, c, due=now) for c in targets)
            count += 1
        return count

    def tick(self) -> int:
        self.escalate()
        return self.pump()

    def recover(self) -> int:
        """Queue again, from the ledger, each routed delivery that never went through."""
        alerts: dict[int, Alert] = {}
        owed: set[tuple[int, str]] = set()
        for record in self.ledger.records(action_prefix="notify."):
            e, d = record.event, record.event.detail
            if e.action == ALERT:
                alerts[record.seq] = Alert(
                    d["kind"], d["severity"], d["title"], d.get("body", ""),
                    d.get("subject", ""), d.get("team"), e.institution, record.seq,
                )  # fmt: skip
                owed.update((record.seq, c) for c in d.get("channels", []))
            elif e.action == "notify.escalated" and d["alert"] in alerts:
                owed.update((d["alert"], c) for c in d.get("channels", []))
            elif e.action == "notify.delivered":
                owed.discard((d["alert"], d["channel"]))
        queued = {(p.alert.seq, p.channel) for p in self.pending}
        now = self.clock()
        fresh = [
            Delivery(alerts[s], c, due=now) for s, c in sorted(owed - queued) if c in self.channels
        ]
        self.pending.extend(fresh)
        return len(fresh)
