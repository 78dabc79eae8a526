"""Building the gateway app from settings, as ``medshield serve`` and uvicorn's factory do."""

from __future__ import annotations

from starlette.applications import Starlette

from medshield.errors import ConfigError
from medshield.gateway.app import build_app
from medshield.ledger.open import open_ledger
from medshield.policy.bundle import load_bundle
from medshield.service.context import open_service
from medshield.service.sms_providers import sms_from_settings
from medshield.service.sources import SourceDirectory
from medshield.settings import get_settings
from medshield.store.db import connect, upgrade
from medshield.web.auth import load_passwords
from medshield.web.server import ConsoleSettings, console_from_settings


def app_from_settings() -> Starlette:
    """The app of MEDSHIELD_* settings; SMS goes through ``MEDSHIELD_SMS_PROVIDER`` (the
    recording double unless a provider is configured)."""
    settings = get_settings()
    if settings.gateway_sources is None:
        raise ConfigError("MEDSHIELD_GATEWAY_SOURCES is not set", where="settings")
    bundle = load_bundle(settings.policy)
    upgrade()
    ledger = open_ledger(bundle=bundle)
    ctx = open_service(
        bundle,
        SourceDirectory.from_alliance(settings.gateway_sources),
        connect(),
        ledger,
        sms_from_settings(settings),
        state_url=settings.gateway_state_url,
        trusted_proxies=settings.gateway_trusted_proxies,
        admin_key=settings.gateway_admin_key,
        code_secret=settings.gateway_code_secret,
        probe_patient=settings.gateway_probe_patient,
    )
    passwords = ConsoleSettings().passwords or settings.home / "console-passwords.yaml"
    return build_app(
        ctx, console=console_from_settings(bundle), staff=load_passwords(passwords), ledger=ledger
    )
