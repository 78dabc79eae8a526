"""The channels of ``notify.yaml``, built through the notifier registry."""

from __future__ import annotations

from typing import Any

from medshield.notify.channels import Channel, notifier_registry
from medshield.notify.channels.sms import SmsChannel
from medshield.policy.notify import NotifySection
from medshield.registry import check_params
from medshield.service.sms import SmsSender


def build_channels(section: NotifySection, sms: SmsSender | None = None) -> dict[str, Channel]:
    """Channel id -> channel. SMS channels send through ``sms`` (the recording double if None)."""
    registry = notifier_registry()
    built: dict[str, Channel] = {}
    for defn in section.channels:
        cls: Any = registry.get(defn.kind)
        params = check_params(cls, defn.params, where=f"notify.yaml: channel {defn.id}")
        built[defn.id] = SmsChannel(params, sms) if cls is SmsChannel else cls(params)  # type: ignore[arg-type]
    return built
