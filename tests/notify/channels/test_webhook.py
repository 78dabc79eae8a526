"""The webhook channel posts DingTalk, WeCom and Feishu JSON to a real local HTTP server."""

from __future__ import annotations

import pytest

from medshield.errors import DeliveryError
from medshield.notify.alert import Alert
from medshield.notify.channels.webhook import WebhookChannel, WebhookParams

from ..conftest import Receiver

ALERT = Alert("probe.failed", "high", "拨测失败：患者摘要", "脱敏检查未通过", seq=42)


@pytest.mark.parametrize(
    ("style", "path"),
    [
        ("dingtalk", ("markdown", "text")),
        ("wecom", ("markdown", "content")),
        ("feishu", ("content", "text")),
    ],
)
def test_each_style_arrives(receiver: Receiver, style: str, path: tuple[str, str]) -> None:
    WebhookChannel(WebhookParams(url=receiver.url, style=style)).deliver(ALERT)  # type: ignore[arg-type]
    (body,) = receiver.bodies
    text = body[path[0]][path[1]]
    assert "拨测失败：患者摘要" in text and "编号 42" in text and "高" in text


def test_http_error_and_robot_refusal_are_delivery_errors(receiver: Receiver) -> None:
    channel = WebhookChannel(WebhookParams(url=receiver.url))
    receiver.fail = 1
    with pytest.raises(DeliveryError, match="HTTP 500"):
        channel.deliver(ALERT)
    receiver.reply = {"errcode": 310000, "errmsg": "keywords not in content"}
    with pytest.raises(DeliveryError, match="310000"):
        channel.deliver(ALERT)


def test_unreachable_is_a_delivery_error() -> None:
    channel = WebhookChannel(WebhookParams(url="http://127.0.0.1:9/none", timeout_s=1))
    with pytest.raises(DeliveryError) as info:
        channel.deliver(ALERT)
    assert info.value.code == "MS981"
