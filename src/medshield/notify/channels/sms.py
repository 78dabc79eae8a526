"""Alerts by SMS through the platform's SMS adapter (``service.sms``; the recording double when
no provider is configured)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from medshield.errors import DeliveryError
from medshield.notify.alert import Alert
from medshield.service.sms import RecordingSms, SmsSender

MAX_CHARS = 300  # long SMS are split by carriers into several; alerts stay short


class SmsParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    phones: tuple[str, ...] = Field(min_length=1)


class SmsChannel:
    name: ClassVar[str] = "sms"
    Params = SmsParams

    def __init__(self, params: SmsParams, sender: SmsSender | None = None) -> None:
        self.params = params
        self.sender: SmsSender = sender or RecordingSms()

    def deliver(self, alert: Alert) -> None:
        message = alert.text()[:MAX_CHARS]
        for phone in self.params.phones:
            try:
                self.sender.send(phone, message)
            except Exception as exc:  # noqa: BLE001 - any provider failure is a failed delivery
                raise DeliveryError(f"SMS not sent: {exc}", where=self.sender.name) from exc
