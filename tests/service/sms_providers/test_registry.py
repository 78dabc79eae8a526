"""The SMS providers' registry and the settings that choose one."""

from __future__ import annotations

import pytest

from medshield.errors import ConfigError, PolicyError, UnknownNameError
from medshield.registry import Registry
from medshield.service.sms import RecordingSms
from medshield.service.sms_providers import SMS_PROVIDERS, sms_from_settings, sms_provider_registry
from medshield.service.sms_providers.aliyun import AliyunSms
from medshield.settings import Settings


def test_the_builtins_and_duplicate_names() -> None:
    assert sms_provider_registry().names() == ["recording", "aliyun", "tencent"]
    with pytest.raises(PolicyError, match="duplicate"):
        Registry("sms_providers", (*SMS_PROVIDERS, AliyunSms), plugins=False)


def test_settings_choose_the_provider(monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(sms_from_settings(Settings()), RecordingSms)
    monkeypatch.setenv("MEDSHIELD_SMS_PROVIDER", "aliyun")
    monkeypatch.setenv("MEDSHIELD_SMS_PARAMS", '{"sign_name": "医联体", "template_code": "SMS_1"}')
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "id")
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret")
    sender = sms_from_settings()
    assert isinstance(sender, AliyunSms) and sender.params.sign_name == "医联体"
    monkeypatch.setenv("MEDSHIELD_SMS_PARAMS", "[1]")
    with pytest.raises(ConfigError, match="JSON object"):
        sms_from_settings()
    monkeypatch.setenv("MEDSHIELD_SMS_PARAMS", "{")
    with pytest.raises(ConfigError, match="not JSON"):
        sms_from_settings()
    monkeypatch.setenv("MEDSHIELD_SMS_PROVIDER", "carrier-pigeon")
    monkeypatch.setenv("MEDSHIELD_SMS_PARAMS", "{}")
    with pytest.raises(UnknownNameError, match="carrier-pigeon"):
        sms_from_settings()
