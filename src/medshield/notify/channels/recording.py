"""Keeps every alert instead of sending it: the double of tests and the default channel."""

from __future__ import annotations

import threading
from typing import ClassVar

from medshield.notify.alert import Alert
from medshield.registry import NoParams


class RecordingChannel:
    name: ClassVar[str] = "recording"
    Params = NoParams

    def __init__(self, params: NoParams | None = None) -> None:
        self.delivered: list[Alert] = []
        self._lock = threading.Lock()

    def deliver(self, alert: Alert) -> None:
        with self._lock:
            self.delivered.append(alert)
