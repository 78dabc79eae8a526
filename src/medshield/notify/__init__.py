"""Alerting (R8): channels, routes from ``notify.yaml``, de-duplication, rate limit, retries,
escalation and acknowledgement, every step a ledger event.

notifier = Notifier(ledger, bundle.notify)
alert = notifier.raise_alert(Alert("probe.failed", "high", "拨测失败", subject="patient.summary"))
notifier.tick()                          # retries and escalations that are due
acknowledge(ledger, alert.seq, "duty-officer")
"""

from medshield.notify.ack import acknowledge, is_acknowledged, open_alerts
from medshield.notify.alert import Alert
from medshield.notify.build import build_channels
from medshield.notify.dispatch import Delivery, Notifier
from medshield.notify.forward import forward_alerts

__all__ = [
    "Alert",
    "Delivery",
    "Notifier",
    "acknowledge",
    "build_channels",
    "forward_alerts",
    "is_acknowledged",
    "open_alerts",
]
