"""The event model: what every module appends to the ledger.

An event says who did what to which data, what was decided and why, under which policy version.
It never holds raw identifiers (ID numbers, names, phones): payloads are referenced by digest.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Outcome = Literal["allow", "deny", "alert", "info"]


class DataObject(BaseModel):
    """The data an event touches."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str | None = None  # a source name or URL without password
    table: str | None = None
    columns: tuple[str, ...] = ()
    api: str | None = None
    path: str | None = None  # a file or package


class Event(BaseModel):
    """One ledger record before it is chained. ``seq`` and the hashes are given on append."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    action: str = Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")  # e.g. "api.call"
    actor: str  # a user or system id, never a person's name
    institution: str | None = None
    source_ip: str | None = None
    object: DataObject = DataObject()
    elements: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    rows: int | None = Field(default=None, ge=0)
    outcome: Outcome = "info"
    reasons: tuple[str, ...] = ()
    policy_version: str | None = None
    duration_ms: float | None = Field(default=None, ge=0)
    payload_digest: str | None = None  # e.g. "sha256:..." of a response, file or statement
    detail: dict[str, Any] = {}
    at: datetime = Field(default_factory=lambda: datetime.now(UTC))
