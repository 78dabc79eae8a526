"""Gateway access tokens: one row a token, its secret kept as a SHA-256 hash only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from medshield.store.models.base import Base


class GatewayToken(Base):
    __tablename__ = "gateway_tokens"

    token_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    secret_hash: Mapped[str] = mapped_column(String(64))  # sha256 hex of the secret
    institution: Mapped[str] = mapped_column(String(64))
    application: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(100))
    scenario: Mapped[str | None] = mapped_column(String(100))
    max_level: Mapped[str] = mapped_column(String(20))
    apis: Mapped[dict[str, list[str]]] = mapped_column(JSON)  # api id -> fields ("*": all)
    scopes: Mapped[list[str]] = mapped_column(JSON)
    signed: Mapped[bool] = mapped_column(Boolean, default=False)  # HMAC signing required
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    replaced_by: Mapped[str | None] = mapped_column(String(32))
