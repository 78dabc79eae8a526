"""Tencent Cloud SMS against a loopback server that checks the request and recomputes the
documented TC3-HMAC-SHA256 signature from what it received."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from datetime import UTC, datetime

import pytest
from tests.service.sms_providers.conftest import FakeProvider, Seen

from medshield.errors import ConfigError, SmsProviderError
from medshield.service.sms_providers import open_sms

SECRET_ID, SECRET_KEY = "AKID-test-secret-id", "test-secret-key-of-tencent"
MESSAGE = "【医联体】您正在登录患者统一视图，验证码654321，5分钟内有效。"
OK = {"Response": {"SendStatusSet": [{"SerialNo": "5000:1045710669157053657849499619",
      "PhoneNumber": "+8613800138000", "Fee": 1, "SessionContext": "", "Code": "Ok",
      "Message": "send success", "IsoCode": "CN"}], "RequestId": "a0aabda6"}}  # fmt: skip


@pytest.fixture(autouse=True)
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TENCENTCLOUD_SECRET_ID", SECRET_ID)
    monkeypatch.setenv("TENCENTCLOUD_SECRET_KEY", SECRET_KEY)


def _sms(provider: FakeProvider):  # type: ignore[no-untyped-def]
    params = {"sdk_app_id": "1400006666", "sign_name": "医联体", "template_id": "449739",
              "endpoint": provider.url}  # fmt: skip
    return open_sms("tencent", params)


def _recomputed(seen: Seen, secret_key: str) -> str:
    """The signature the provider expects, from the request as received (per the TC3 docs)."""
    auth = seen.headers["authorization"]
    signed = re.search(r"SignedHeaders=([^,]+)", auth).group(1)  # type: ignore[union-attr]
    canonical_headers = "".join(
        f"{h}:{seen.headers[h].strip().lower()}\n" for h in signed.split(";")
    )
    canonical = (f"POST\n/\n\n{canonical_headers}\n{signed}\n"
                 f"{hashlib.sha256(seen.body).hexdigest()}")  # fmt: skip
    timestamp = int(seen.headers["x-tc-timestamp"])
    date = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
    scope = f"{date}/sms/tc3_request"
    to_sign = (f"TC3-HMAC-SHA256\n{timestamp}\n{scope}\n"
               f"{hashlib.sha256(canonical.encode()).hexdigest()}")  # fmt: skip

    def sign(key: bytes, msg: str) -> bytes:
        return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()

    key = sign(sign(sign(("TC3" + secret_key).encode(), date), "sms"), "tc3_request")
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


def test_send_signs_the_request_as_documented(provider: FakeProvider) -> None:
    provider.answer = OK
    _sms(provider).send("13800138000", MESSAGE)
    (seen,) = provider.requests
    auth = seen.headers["authorization"]
    assert auth.startswith(f"TC3-HMAC-SHA256 Credential={SECRET_ID}/")
    given = re.search(r"Signature=([0-9a-f]{64})$", auth)
    assert given and given.group(1) == _recomputed(seen, SECRET_KEY)
    assert given.group(1) != _recomputed(seen, "another-key")
    signed = re.search(r"SignedHeaders=([^,]+)", auth)
    assert signed and {"content-type", "host"} <= set(signed.group(1).split(";"))
    assert seen.headers["host"] == provider.url.split("/")[2]
    assert seen.headers["x-tc-action"] == "SendSms" and seen.headers["x-tc-version"] == "2021-01-11"
    assert abs(int(seen.headers["x-tc-timestamp"]) - datetime.now(UTC).timestamp()) < 60
    body = json.loads(seen.body)
    assert body == {"PhoneNumberSet": ["+8613800138000"], "SmsSdkAppId": "1400006666",
                    "SignName": "医联体", "TemplateId": "449739",
                    "TemplateParamSet": [MESSAGE.split("】", 1)[1]]}  # fmt: skip
    assert SECRET_KEY.encode() not in seen.body and SECRET_KEY not in auth


def test_an_api_error_is_a_coded_error(provider: FakeProvider) -> None:
    provider.answer = {"Response": {"Error": {"Code": "AuthFailure.SignatureFailure",
                       "Message": "The provided credentials could not be validated."},
                       "RequestId": "b2"}}  # fmt: skip
    with pytest.raises(SmsProviderError) as caught:
        _sms(provider).send("13800138000", MESSAGE)
    assert caught.value.code == "MS620" and "AuthFailure.SignatureFailure" in caught.value.message


def test_a_refused_number_is_a_coded_error(provider: FakeProvider) -> None:
    status = {**OK["Response"]["SendStatusSet"][0], "Code": "LimitExceeded.PhoneNumberDailyLimit",
              "Message": "the number reached its daily limit"}  # fmt: skip
    provider.answer = {"Response": {"SendStatusSet": [status], "RequestId": "c3"}}
    with pytest.raises(SmsProviderError, match="PhoneNumberDailyLimit") as caught:
        _sms(provider).send("+8613800138000", MESSAGE)
    assert "13800138000" not in caught.value.message
    assert json.loads(provider.requests[0].body)["PhoneNumberSet"] == ["+8613800138000"]


def test_missing_credentials_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TENCENTCLOUD_SECRET_ID")
    with pytest.raises(ConfigError, match="TENCENTCLOUD_SECRET_ID"):
        open_sms("tencent", {"sdk_app_id": "1", "sign_name": "s", "template_id": "t"})
