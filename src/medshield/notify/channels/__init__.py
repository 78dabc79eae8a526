"""Alert channels: one class a file, built-ins in ``NOTIFIERS``, others by entry point
(``medshield.notifiers``). A channel's ``deliver`` returns or raises ``DeliveryError``."""

from __future__ import annotations

from typing import Any, ClassVar, Protocol

from medshield.notify.alert import Alert
from medshield.notify.channels.email import EmailChannel
from medshield.notify.channels.recording import RecordingChannel
from medshield.notify.channels.sms import SmsChannel
from medshield.notify.channels.webhook import WebhookChannel
from medshield.registry import Registry


class Channel(Protocol):
    name: ClassVar[str]

    def __init__(self, params: Any) -> None: ...

    def deliver(self, alert: Alert) -> None: ...


NOTIFIERS: tuple[type[Channel], ...] = (RecordingChannel, SmsChannel, WebhookChannel, EmailChannel)


def notifier_registry() -> Registry[Channel]:
    return Registry("notifiers", NOTIFIERS)


__all__ = ["NOTIFIERS", "Channel", "notifier_registry"]
