"""The event model: what every module appends to the ledger.

An event says who did what to which data, what was decided and why, under which policy version.
It never holds raw identifiers (ID numbers, names, phones): payloads are referenced by digest.

Fields are declared in sorted order and ``detail`` is key-sorted on construction, so the compact
JSON pydantic writes (``model_dump_json``) is already the canonical form the ledger hashes:
sorted keys, UTF-8, no whitespace. Keep new fields in sorted order.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Outcome = Literal["allow", "deny", "alert", "info"]


_NESTED = (dict, list, tuple)


def sort_keys(value: Any) -> Any:
    """``value`` with every dict inside it rebuilt in sorted key order (tuples become lists)."""
    if isinstance(value, dict):
        out = {}
        for key in sorted(value, key=str):
            item = value[key]
            out[key] = sort_keys(item) if isinstance(item, _NESTED) else item
        return out
    if isinstance(value, (list, tuple)):
        return [sort_keys(v) if isinstance(v, _NESTED) else v for v in value]
    return value


class DataObject(BaseModel):
    """The data an event touches."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    api: str | None = None
    columns: tuple[str, ...] = ()
    path: str | None = None  # a file or package
    source: str | None = None  # a source name or URL without password
    table: str | None = None


class Event(BaseModel):
    """One ledger record before it is chained. ``seq`` and the hashes are given on append."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    action: str = Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")  # e.g. "api.call"
    actor: str  # a user or system id, never a person's name
    at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    detail: dict[str, Any] = {}
    duration_ms: float | None = Field(default=None, ge=0)
    elements: tuple[str, ...] = ()
    institution: str | None = None
    levels: tuple[str, ...] = ()
    object: DataObject = DataObject()
    outcome: Outcome = "info"
    payload_digest: str | None = None  # e.g. "sha256:..." of a response, file or statement
    policy_version: str | None = None
    reasons: tuple[str, ...] = ()
    rows: int | None = Field(default=None, ge=0)
    source_ip: str | None = None

    @field_validator("detail")
    @classmethod
    def _sorted_detail(cls, value: dict[str, Any]) -> dict[str, Any]:
        return sort_keys(value)  # type: ignore[no-any-return]

    def revised(self, **changes: Any) -> Event:
        """This event with ``changes``, not validated again: for events made often from one
        validated template. The caller gives values of the fields' types; ``detail`` is put in
        key order here, as validation would."""
        if "detail" in changes:
            changes["detail"] = sort_keys(changes["detail"])
        return self.model_copy(update=changes)
