"""``notify.yaml``: alert channels, routes by severity, team and institution, and the limits of
delivery (de-duplication window, rate limit, retries, escalation)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Severity = Literal["low", "medium", "high", "critical"]
SEVERITIES: tuple[str, ...] = ("low", "medium", "high", "critical")
_ID = r"^[a-z][a-z0-9_-]*$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ChannelDef(Strict):
    id: str = Field(pattern=_ID)
    kind: str  # a notifier name: recording, sms, webhook, email
    params: dict[str, Any] = {}


class RouteDef(Strict):
    """An alert matching every given condition (an empty one matches all) goes to ``channels``;
    unacknowledged after ``escalate_after_s`` it also goes to ``escalate_to``."""

    min_severity: Severity = "low"
    teams: tuple[str, ...] = ()
    institutions: tuple[str, ...] = ()
    channels: tuple[str, ...] = Field(min_length=1)
    escalate_to: tuple[str, ...] = ()
    escalate_after_s: float = Field(default=900.0, gt=0)

    def matches(self, severity: str, team: str | None, institution: str | None) -> bool:
        return (
            SEVERITIES.index(severity) >= SEVERITIES.index(self.min_severity)
            and (not self.teams or team in self.teams)
            and (not self.institutions or institution in self.institutions)
        )


class NotifySection(Strict):
    channels: tuple[ChannelDef, ...] = ()
    routes: tuple[RouteDef, ...] = ()
    dedup_seconds: float = Field(default=300.0, ge=0)
    rate_per_minute: int = Field(default=30, ge=1)  # deliveries a channel takes a minute
    retry_base_s: float = Field(default=1.0, gt=0)
    retry_max_s: float = Field(default=300.0, gt=0)

    @model_validator(mode="after")
    def _known_channels(self) -> NotifySection:
        known = {c.id for c in self.channels}
        for i, route in enumerate(self.routes):
            for name in (*route.channels, *route.escalate_to):
                if name not in known:
                    raise ValueError(f"routes[{i}]: unknown channel {name!r}")
        return self
