"""Aliyun SMS against a loopback server that checks the request and recomputes the documented
signature (RPC, signature version 1.0: HMAC-SHA1 of ``POST&%2F&`` + the encoded sorted query,
keyed with the secret and ``&``)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import urllib.parse

import pytest
from tests.service.sms_providers.conftest import FakeProvider

from medshield.errors import ConfigError, SmsProviderError
from medshield.service.sms_providers import open_sms

KEY_ID, SECRET = "LTAI-test-key-id", "test-secret-of-aliyun"
MESSAGE = "【医联体】市一医院申请调阅您的处方，验证码123456，5分钟内有效。"


@pytest.fixture(autouse=True)
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", KEY_ID)
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET)


def _sms(provider: FakeProvider):  # type: ignore[no-untyped-def]
    return open_sms(
        "aliyun",
        {"sign_name": "医联体", "template_code": "SMS_000001", "endpoint": provider.url},
    )


def _expected_signature(params: dict[str, str], secret: str) -> str:
    """The signature as Aliyun's documentation computes it, written out independently."""

    def enc(s: str) -> str:
        return (
            urllib.parse.quote_plus(s, encoding="utf-8")
            .replace("+", "%20")
            .replace("*", "%2A")
            .replace("%7E", "~")
        )

    query = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(params.items()))
    string_to_sign = "POST&%2F&" + enc(query)
    mac = hmac.new((secret + "&").encode(), string_to_sign.encode("utf-8"), hashlib.sha1)
    return base64.b64encode(mac.digest()).decode()


def test_send_signs_the_request_as_documented(provider: FakeProvider) -> None:
    provider.answer = {"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0",
                       "RequestId": "F655A8D5-B967-440B-8683-DAD6FF8DE990"}  # fmt: skip
    _sms(provider).send("13800138000", MESSAGE)
    (seen,) = provider.requests
    assert seen.headers["content-type"].startswith("application/x-www-form-urlencoded")
    form = dict(urllib.parse.parse_qsl(seen.body.decode(), strict_parsing=True))
    signature = form.pop("Signature")
    assert signature == _expected_signature(form, SECRET)
    assert signature != _expected_signature(form, "another-secret")
    assert form["Action"] == "SendSms" and form["Version"] == "2017-05-25"
    assert form["AccessKeyId"] == KEY_ID and form["PhoneNumbers"] == "13800138000"
    assert form["SignName"] == "医联体" and form["TemplateCode"] == "SMS_000001"
    assert form["SignatureMethod"] == "HMAC-SHA1" and form["SignatureVersion"] == "1.0"
    # The provider adds the registered 【signature】; the template variable gets the rest.
    assert json.loads(form["TemplateParam"]) == {"content": MESSAGE.split("】", 1)[1]}
    assert SECRET not in seen.body.decode()


def test_each_request_has_a_fresh_nonce(provider: FakeProvider) -> None:
    provider.answer = {"Code": "OK", "Message": "OK"}
    sms = _sms(provider)
    sms.send("13800138000", "验证码1")
    sms.send("13800138000", "验证码1")
    nonces = {
        dict(urllib.parse.parse_qsl(r.body.decode()))["SignatureNonce"] for r in provider.requests
    }
    assert len(nonces) == 2


def test_a_provider_error_is_a_coded_error(provider: FakeProvider) -> None:
    provider.status = 400
    provider.answer = {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发流控",
                       "RequestId": "X"}  # fmt: skip
    with pytest.raises(SmsProviderError) as caught:
        _sms(provider).send("13800138000", MESSAGE)
    assert caught.value.code == "MS620" and caught.value.http_status == 502
    assert "isv.BUSINESS_LIMIT_CONTROL" in caught.value.message
    assert "13800138000" not in caught.value.message


def test_a_body_that_is_not_json_and_a_dead_endpoint_are_coded(provider: FakeProvider) -> None:
    provider.status, provider.answer = 502, b"<html>bad gateway</html>"
    with pytest.raises(SmsProviderError, match="without JSON"):
        _sms(provider).send("13800138000", MESSAGE)
    dead = open_sms("aliyun", {"sign_name": "医联体", "template_code": "SMS_000001",
                               "endpoint": "http://127.0.0.1:9/", "timeout_s": 2})  # fmt: skip
    with pytest.raises(SmsProviderError, match="unreachable"):
        dead.send("13800138000", MESSAGE)


def test_missing_credentials_and_secrets_in_params_are_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET")
    with pytest.raises(ConfigError, match="ALIBABA_CLOUD_ACCESS_KEY_SECRET"):
        open_sms("aliyun", {"sign_name": "医联体", "template_code": "SMS_000001"})
    from medshield.errors import PolicyError

    with pytest.raises(PolicyError, match="access_key_secret"):
        open_sms("aliyun", {"sign_name": "s", "template_code": "t", "access_key_secret": "x"})
