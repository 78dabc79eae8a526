"""The one HTTP exchange of an SMS provider adapter: POST, JSON back, every failure coded."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import httpx

from medshield.errors import ConfigError, SmsProviderError


def credential(variable: str, provider: str) -> str:
    """A provider credential from the environment (never from the policy or settings files)."""
    value = os.environ.get(variable, "")
    if not value:
        raise ConfigError(f"{provider} SMS: the environment variable {variable} is not set",
                          where=variable)  # fmt: skip
    return value


def post_json(
    url: str, *, content: bytes, headers: Mapping[str, str], timeout: float, provider: str
) -> dict[str, Any]:
    """The provider's JSON answer; ``SmsProviderError`` when it cannot be reached or read.
    A 4xx/5xx status with a JSON body is returned: the providers put their error code in it."""
    try:
        response = httpx.post(url, content=content, headers=dict(headers), timeout=timeout)
        body = response.json()
    except httpx.HTTPError as exc:
        raise SmsProviderError(
            f"{provider} SMS unreachable: {type(exc).__name__}", where=provider
        ) from None
    except ValueError:
        raise SmsProviderError(
            f"{provider} SMS answered HTTP {response.status_code} without JSON", where=provider
        ) from None
    if not isinstance(body, dict):
        raise SmsProviderError(f"{provider} SMS answered an unexpected body", where=provider)
    return body


def without_signature(message: str) -> str:
    """The message without its leading 【signature】: the provider adds its registered one."""
    if message.startswith("【") and "】" in message:
        return message.split("】", 1)[1]
    return message
