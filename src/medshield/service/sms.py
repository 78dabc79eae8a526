"""Sending SMS (R21, R34): the adapter interface and the recording double tests use."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import ClassVar, Protocol

from medshield.registry import NoParams


class SmsSender(Protocol):
    name: ClassVar[str]

    def send(self, phone: str, message: str) -> None: ...


@dataclass(frozen=True)
class SentSms:
    phone: str
    message: str


class RecordingSms:
    """Keeps every message instead of sending it: the double of tests and the demo."""

    name: ClassVar[str] = "recording"

    def __init__(self, params: NoParams | None = None) -> None:
        self.sent: list[SentSms] = []
        self._lock = threading.Lock()

    def send(self, phone: str, message: str) -> None:
        with self._lock:
            self.sent.append(SentSms(phone, message))

    def last_to(self, phone: str) -> SentSms | None:
        with self._lock:
            return next((m for m in reversed(self.sent) if m.phone == phone), None)
