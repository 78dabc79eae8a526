"""Typed settings, read from ``MEDSHIELD_*`` environment variables (docs/settings.md lists them)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


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

    def resolved_store_url(self) -> str:
        if self.store_url:
            return self.store_url
        return f"sqlite:///{(self.home / 'store.db').resolve()}"


def get_settings() -> Settings:
    return Settings()
