"""Aliyun SMS (阿里云短信服务, dysmsapi ``SendSms``, API version 2017-05-25).

The request is an RPC call signed as Aliyun documents it (signature version 1.0): the
parameters, sorted by name and percent-encoded per RFC 3986, make the canonical query; the
string to sign is ``POST&%2F&`` + that query, percent-encoded; the signature is the Base64 of its
HMAC-SHA1 keyed with ``AccessKeySecret + "&"``. The message goes in one template variable
(``template_param``) of an approved template; the provider adds the 【signature】 itself.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import ClassVar
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, Field

from medshield.errors import SmsProviderError
from medshield.service.sms_providers.transport import credential, post_json, without_signature

API_VERSION = "2017-05-25"


class AliyunSmsParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sign_name: str = Field(min_length=1)  # 短信签名, e.g. 医联体
    template_code: str = Field(min_length=1)  # e.g. SMS_123456789
    template_param: str = "content"  # the template's variable that receives the message
    endpoint: str = "https://dysmsapi.aliyuncs.com/"
    region: str = "cn-hangzhou"
    access_key_id_env: str = "ALIBABA_CLOUD_ACCESS_KEY_ID"
    access_key_secret_env: str = "ALIBABA_CLOUD_ACCESS_KEY_SECRET"  # noqa: S105 - a variable name
    timeout_s: float = Field(default=10.0, gt=0)


def percent_encode(value: str) -> str:
    """RFC 3986 encoding as Aliyun signs it: space %20, ``*`` %2A, ``~`` kept."""
    return quote(value, safe="~")


def rpc_signature(method: str, params: Mapping[str, str], secret: str) -> str:
    """The Base64 HMAC-SHA1 signature of an Aliyun RPC request (signature version 1.0)."""
    query = "&".join(f"{percent_encode(k)}={percent_encode(params[k])}" for k in sorted(params))
    to_sign = f"{method}&{percent_encode('/')}&{percent_encode(query)}"
    mac = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1)
    return base64.b64encode(mac.digest()).decode()


class AliyunSms:
    name: ClassVar[str] = "aliyun"
    Params = AliyunSmsParams

    def __init__(self, params: AliyunSmsParams) -> None:
        self.params = params
        self._key_id = credential(params.access_key_id_env, self.name)
        self._secret = credential(params.access_key_secret_env, self.name)

    def request(self, phone: str, message: str) -> dict[str, str]:
        """The signed parameters of one SendSms call."""
        p = self.params
        params = {
            "AccessKeyId": self._key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": phone,
            "RegionId": p.region,
            "SignName": p.sign_name,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": p.template_code,
            "TemplateParam": json.dumps(
                {p.template_param: without_signature(message)}, ensure_ascii=False
            ),
            "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": API_VERSION,
        }
        return {**params, "Signature": rpc_signature("POST", params, self._secret)}

    def send(self, phone: str, message: str) -> None:
        params = self.request(phone, message)
        body = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in params.items())
        answer = post_json(
            self.params.endpoint,
            content=body.encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
            timeout=self.params.timeout_s,
            provider=self.name,
        )
        if answer.get("Code") != "OK":
            raise SmsProviderError(
                f"aliyun SMS refused the message: {answer.get('Code')}: {answer.get('Message')}",
                where=self.name,
            )
