"""Tencent Cloud SMS (腾讯云短信, ``SendSms``, API version 2021-01-11).

The request is a JSON POST signed with TC3-HMAC-SHA256 as Tencent Cloud documents it: the
canonical request (method, ``/``, empty query, the ``content-type``, ``host`` and
``x-tc-action`` headers, the SHA-256 of the body) is hashed into the string to sign, and the key
is derived from ``"TC3" + SecretKey`` through the UTC date, the service (``sms``) and
``tc3_request``. The message goes in the one parameter of an approved template.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field

from medshield.errors import SmsProviderError
from medshield.service.sms_providers.transport import credential, post_json, without_signature

API_VERSION = "2021-01-11"
SERVICE = "sms"
ALGORITHM = "TC3-HMAC-SHA256"
CONTENT_TYPE = "application/json; charset=utf-8"
SIGNED_HEADERS = "content-type;host;x-tc-action"


class TencentSmsParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sdk_app_id: str = Field(min_length=1)  # SmsSdkAppId, e.g. 1400006666
    sign_name: str = Field(min_length=1)  # 短信签名
    template_id: str = Field(min_length=1)
    endpoint: str = "https://sms.tencentcloudapi.com/"
    region: str = "ap-guangzhou"
    country_code: str = "+86"  # put before numbers given without one
    secret_id_env: str = "TENCENTCLOUD_SECRET_ID"  # noqa: S105 - a variable name
    secret_key_env: str = "TENCENTCLOUD_SECRET_KEY"  # noqa: S105 - a variable name
    timeout_s: float = Field(default=10.0, gt=0)


def _hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode(), hashlib.sha256).digest()


def tc3_signature(
    secret_key: str, headers: Mapping[str, str], payload: bytes, timestamp: int
) -> tuple[str, str]:
    """(credential scope, hex signature) of a POST to ``/`` with ``headers`` (lower-case names
    ``content-type``, ``host``, ``x-tc-action``) and ``payload``."""
    canonical_headers = "".join(
        f"{h}:{headers[h].strip().lower()}\n" for h in SIGNED_HEADERS.split(";")
    )
    canonical = "\n".join(
        ("POST", "/", "", canonical_headers, SIGNED_HEADERS, hashlib.sha256(payload).hexdigest())
    )
    day = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
    scope = f"{day}/{SERVICE}/tc3_request"
    to_sign = "\n".join(
        (ALGORITHM, str(timestamp), scope, hashlib.sha256(canonical.encode()).hexdigest())
    )
    key = _hmac(_hmac(_hmac(f"TC3{secret_key}".encode(), day), SERVICE), "tc3_request")
    return scope, hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


class TencentSms:
    name: ClassVar[str] = "tencent"
    Params = TencentSmsParams

    def __init__(self, params: TencentSmsParams) -> None:
        self.params = params
        self._secret_id = credential(params.secret_id_env, self.name)
        self._secret_key = credential(params.secret_key_env, self.name)

    def request(self, phone: str, message: str) -> tuple[dict[str, str], bytes]:
        """The signed headers and the body of one SendSms call."""
        p = self.params
        number = phone if phone.startswith("+") else f"{p.country_code}{phone}"
        body: dict[str, Any] = {
            "PhoneNumberSet": [number],
            "SmsSdkAppId": p.sdk_app_id,
            "SignName": p.sign_name,
            "TemplateId": p.template_id,
            "TemplateParamSet": [without_signature(message)],
        }
        payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        timestamp = int(time.time())
        headers = {
            "content-type": CONTENT_TYPE,
            "host": urlsplit(p.endpoint).netloc,
            "x-tc-action": "SendSms",
        }
        scope, signature = tc3_signature(self._secret_key, headers, payload, timestamp)
        headers |= {
            "authorization": f"{ALGORITHM} Credential={self._secret_id}/{scope}, "
            f"SignedHeaders={SIGNED_HEADERS}, Signature={signature}",
            "x-tc-timestamp": str(timestamp),
            "x-tc-version": API_VERSION,
            "x-tc-region": p.region,
        }
        return headers, payload

    def send(self, phone: str, message: str) -> None:
        headers, payload = self.request(phone, message)
        answer = post_json(
            self.params.endpoint, content=payload, headers=headers,
            timeout=self.params.timeout_s, provider=self.name,
        )  # fmt: skip
        response = answer.get("Response")
        if not isinstance(response, dict):
            raise SmsProviderError("tencent SMS answered without a Response", where=self.name)
        error = response.get("Error")
        if isinstance(error, dict):
            raise SmsProviderError(
                f"tencent SMS refused the message: {error.get('Code')}: {error.get('Message')}",
                where=self.name,
            )
        statuses = response.get("SendStatusSet") or [{}]
        status = statuses[0] if isinstance(statuses[0], dict) else {}
        if status.get("Code") != "Ok":
            raise SmsProviderError(
                f"tencent SMS refused the message: {status.get('Code')}: {status.get('Message')}",
                where=self.name,
            )
