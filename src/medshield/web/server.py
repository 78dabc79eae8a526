"""The console from settings: standalone (``uvicorn --factory``) or mounted by the gateway."""

from __future__ import annotations

import secrets
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from starlette.applications import Starlette

from medshield.ledger.open import open_ledger
from medshield.policy import PolicyBundle, load_bundle
from medshield.settings import get_settings
from medshield.store.db import connect, upgrade
from medshield.web.app import build_console
from medshield.web.auth import load_passwords
from medshield.web.views import ConsoleContext


class ConsoleSettings(BaseSettings):
    """MEDSHIELD_CONSOLE_* settings."""

    model_config = SettingsConfigDict(env_prefix="MEDSHIELD_CONSOLE_")

    passwords: Path | None = Field(
        default=None,
        description="YAML {member id: scrypt hash}; default HOME/console-passwords.yaml",
    )
    secret: str | None = Field(
        default=None, description="Key signing session cookies; unset: a new one per process."
    )
    https_only: bool = Field(default=False, description="Send the session cookie over HTTPS only.")
    reports: Path | None = Field(
        default=None, description="Folder of reports; default HOME/reports"
    )
    catalog: str | None = Field(
        default=None, description="Store URL of the catalogue; default the platform store."
    )
    ledger: str | None = Field(
        default=None, description="Store URL of the ledger shown; default the catalogue's store."
    )


def console_from_settings(bundle: PolicyBundle | None = None) -> Starlette:
    """The console of MEDSHIELD_* and MEDSHIELD_CONSOLE_* settings (uvicorn's factory)."""
    settings = get_settings()
    console = ConsoleSettings()
    bundle = bundle or load_bundle(settings.policy)
    upgrade(console.catalog)
    store = connect(console.catalog)
    ledger_url = console.ledger or store.url.render_as_string(hide_password=False)
    ctx = ConsoleContext(
        bundle=bundle,
        store=store,
        ledger=open_ledger(ledger_url, bundle=bundle),
        passwords=load_passwords(console.passwords or settings.home / "console-passwords.yaml"),
        reports=console.reports or settings.home / "reports",
    )
    return build_console(
        ctx, secret=console.secret or secrets.token_urlsafe(32), https_only=console.https_only
    )
