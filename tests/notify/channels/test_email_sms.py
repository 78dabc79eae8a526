"""E-mail to a real local SMTP server (aiosmtpd); SMS through the platform's SMS adapter."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.header import decode_header, make_header
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from medshield.errors import DeliveryError
from medshield.notify.alert import Alert
from medshield.notify.channels.email import EmailChannel, EmailParams
from medshield.notify.channels.sms import SmsChannel, SmsParams
from medshield.service.sms import RecordingSms

ALERT = Alert("gateway.response_blocked", "critical", "响应被拦截", "身份证号明文", seq=7)


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Controller, Inbox]]:
    inbox = Inbox()
    with socket.socket() as probe:  # a free port: the controller checks it can connect to it
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield controller, inbox
    controller.stop()


def test_email_arrives_with_chinese_subject(smtp: tuple[Controller, Inbox]) -> None:
    controller, inbox = smtp
    params = EmailParams(host="127.0.0.1", port=controller.port,
                         sender="medshield@hub.example", recipients=("soc@hub.example",))  # fmt: skip
    EmailChannel(params).deliver(ALERT)
    ((rcpt, message),) = inbox.messages
    assert rcpt == ["soc@hub.example"]
    assert "响应被拦截" in str(make_header(decode_header(message["Subject"])))
    assert "身份证号明文" in message.get_payload(decode=True).decode("utf-8")


def test_email_server_down_is_a_delivery_error() -> None:
    params = EmailParams(host="127.0.0.1", port=9, sender="a@b.c", recipients=("d@e.f",),
                         timeout_s=1)  # fmt: skip
    with pytest.raises(DeliveryError):
        EmailChannel(params).deliver(ALERT)


def test_sms_goes_to_every_phone() -> None:
    sms = RecordingSms()
    SmsChannel(SmsParams(phones=("13800000001", "13800000002")), sms).deliver(ALERT)
    assert [m.phone for m in sms.sent] == ["13800000001", "13800000002"]
    assert "严重" in sms.sent[0].message and "响应被拦截" in sms.sent[0].message
