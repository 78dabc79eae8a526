"""SMS providers (R21, R34): one class a file, built-ins in ``SMS_PROVIDERS``, others by entry
point (``medshield.sms_providers``). Each takes its pydantic ``Params`` and sends with
``send(phone, message)``, raising ``SmsProviderError`` when the provider refuses.

``MEDSHIELD_SMS_PROVIDER`` names the provider and ``MEDSHIELD_SMS_PARAMS`` (a JSON object) its
parameters; credentials are only ever read from the environment variables the parameters name.
"""

from __future__ import annotations

import json
from typing import Any

from medshield.errors import ConfigError
from medshield.registry import Registry, check_params
from medshield.service.sms import RecordingSms, SmsSender
from medshield.service.sms_providers.aliyun import AliyunSms
from medshield.service.sms_providers.tencent import TencentSms
from medshield.settings import Settings, get_settings

SMS_PROVIDERS: tuple[type[Any], ...] = (RecordingSms, AliyunSms, TencentSms)


def sms_provider_registry() -> Registry[Any]:
    return Registry("sms_providers", SMS_PROVIDERS)


def open_sms(name: str, params: dict[str, Any]) -> SmsSender:
    """The provider ``name`` with ``params`` checked; ``ConfigError`` for a missing credential."""
    cls = sms_provider_registry().get(name)
    checked = check_params(cls, params, where=f"SMS provider {name}")
    sender: SmsSender = cls(checked)
    return sender


def sms_from_settings(settings: Settings | None = None) -> SmsSender:
    """The provider of ``MEDSHIELD_SMS_PROVIDER`` / ``MEDSHIELD_SMS_PARAMS``."""
    settings = settings or get_settings()
    try:
        params = json.loads(settings.sms_params or "{}")
    except ValueError:
        raise ConfigError(
            "MEDSHIELD_SMS_PARAMS is not JSON", where="MEDSHIELD_SMS_PARAMS"
        ) from None
    if not isinstance(params, dict):
        raise ConfigError(
            "MEDSHIELD_SMS_PARAMS must be a JSON object", where="MEDSHIELD_SMS_PARAMS"
        )
    return open_sms(settings.sms_provider, params)


__all__ = ["SMS_PROVIDERS", "open_sms", "sms_from_settings", "sms_provider_registry"]
