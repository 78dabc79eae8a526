"""Typed settings, read from ``MEDSHIELD_*`` environment variables (docs/settings.md lists them)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from medshield.errors import ConfigError


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MEDSHIELD_", extra="ignore")

    home: Path = Field(
        default=Path(".medshield"),
        description="Folder for the embedded defaults: the SQLite store, ledger replicas, keys.",
    )
    store_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the platform store; a SQLite file in `home` when unset.",
    )
    policy: Path | None = Field(
        default=None,
        description="Policy bundle folder; the bundle shipped with the package when unset.",
    )
    lang: str = Field(default="zh", description="Language of reports and the demo: zh or en.")
    ledger_replicas: str | None = Field(
        default=None,
        description="Ledger replicas, comma-separated: database URLs or folders of JSONL segments.",
    )
    max_input_bytes: int = Field(
        default=256 * 1024 * 1024,
        gt=0,
        description="Largest input file read whole into memory (policy, package, key, list), in bytes.",
    )

    gateway_admin_key: str | None = Field(
        default=None,
        description="The gateway's admin API key; unset: the admin API refuses every call.",
    )
    gateway_trusted_proxies: str = Field(
        default="",
        description="Addresses or CIDRs, comma-separated, whose X-Forwarded-For the gateway reads.",
    )
    gateway_state_url: str | None = Field(
        default=None,
        description="Redis URL shared by gateway processes (rate limits, codes); unset: in process.",
    )
    gateway_code_secret: str | None = Field(
        default=None,
        description="Key (16+ bytes) of the HMAC of stored SMS codes; unset: the gateway does not start.",
    )
    sms_provider: str = Field(
        default="recording",
        description="SMS provider of codes and alerts: recording (kept, not sent), aliyun, tencent.",
    )
    sms_params: str | None = Field(
        default=None,
        description="The SMS provider's parameters as a JSON object (never credentials).",
    )
    gateway_sources: Path | None = Field(
        default=None,
        description="Folder of a synthetic alliance whose manifest names the gateway's sources.",
    )
    gateway_probe_patient: str | None = Field(
        default=None,
        description="ID number of the probe-only patient; its consent codes asked by a canary "
        "token go to that token's probe inbox, not by SMS. Unset: no probe inbox.",
    )

    def resolved_store_url(self) -> str:
        if self.store_url:
            return self.store_url
        return f"sqlite:///{(self.home / 'store.db').resolve()}"


def get_settings() -> Settings:
    """The settings now; a variable that does not parse is a ``ConfigError`` naming it."""
    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        name = f"MEDSHIELD_{str(first['loc'][0]).upper()}" if first["loc"] else "MEDSHIELD_*"
        raise ConfigError(f"the setting is not valid: {first['msg']}", where=name) from None
