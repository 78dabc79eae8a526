"""Alerts by e-mail over SMTP (optionally STARTTLS and login)."""

from __future__ import annotations

import os
import smtplib
from email.message import EmailMessage
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from medshield.errors import DeliveryError
from medshield.notify.alert import Alert


class EmailParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    host: str
    port: int = 25
    sender: str
    recipients: tuple[str, ...] = Field(min_length=1)
    starttls: bool = False
    username: str | None = None
    password_env: str | None = None  # the name of the variable holding the password
    timeout_s: float = 10.0


class EmailChannel:
    name: ClassVar[str] = "email"
    Params = EmailParams

    def __init__(self, params: EmailParams) -> None:
        self.params = params

    def deliver(self, alert: Alert) -> None:
        p = self.params
        message = EmailMessage()
        message["Subject"] = alert.text().splitlines()[0]
        message["From"] = p.sender
        message["To"] = ", ".join(p.recipients)
        message.set_content(alert.text())
        try:
            with smtplib.SMTP(p.host, p.port, timeout=p.timeout_s) as smtp:
                if p.starttls:
                    smtp.starttls()
                if p.username and p.password_env:
                    smtp.login(p.username, os.environ.get(p.password_env, ""))
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryError(f"e-mail not sent: {exc}", where=f"{p.host}:{p.port}") from exc
