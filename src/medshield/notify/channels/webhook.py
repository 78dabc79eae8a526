"""Alerts to a group robot's webhook in DingTalk, WeCom (企业微信) or Feishu (飞书) JSON style."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

import httpx
from pydantic import BaseModel, ConfigDict

from medshield.errors import DeliveryError
from medshield.notify.alert import Alert

Style = Literal["dingtalk", "wecom", "feishu"]


class WebhookParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str
    style: Style = "dingtalk"
    timeout_s: float = 5.0


def payload(alert: Alert, style: Style) -> dict[str, Any]:
    text = alert.text()
    if style == "dingtalk":
        return {"msgtype": "markdown", "markdown": {"title": alert.title, "text": text}}
    if style == "wecom":
        return {"msgtype": "markdown", "markdown": {"content": text}}
    return {"msg_type": "text", "content": {"text": text}}


def _refused(body: Any) -> str | None:
    """The robots answer HTTP 200 with an error code in the body when they refuse."""
    if not isinstance(body, dict):
        return None
    code = body.get("errcode", body.get("code", body.get("StatusCode", 0)))
    return None if code in (0, None) else f"{code}: {body.get('errmsg') or body.get('msg')}"


class WebhookChannel:
    name: ClassVar[str] = "webhook"
    Params = WebhookParams

    def __init__(self, params: WebhookParams) -> None:
        self.params = params

    def deliver(self, alert: Alert) -> None:
        p = self.params
        try:
            response = httpx.post(p.url, json=payload(alert, p.style), timeout=p.timeout_s)
        except httpx.HTTPError as exc:
            raise DeliveryError(f"webhook unreachable: {exc}", where=p.url) from exc
        if response.status_code >= 300:
            raise DeliveryError(f"webhook answered HTTP {response.status_code}", where=p.url)
        try:
            refused = _refused(response.json())
        except ValueError:
            refused = None
        if refused:
            raise DeliveryError(f"webhook refused the alert: {refused}", where=p.url)
