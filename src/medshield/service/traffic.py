"""Traffic (R24): rate limits per token and per API with ``limits`` (in memory, or Redis when
several gateway processes share one limit), and Prometheus metrics whose labels are bounded by
the catalogue (API ids, status classes, refusal codes)."""

from __future__ import annotations

from typing import Any

from limits import RateLimitItemPerMinute
from limits.storage import Storage
from limits.strategies import SlidingWindowCounterRateLimiter
from prometheus_client import CollectorRegistry, Counter, Histogram

from medshield.errors import RateLimitedError
from medshield.policy.schema import ApiDef

OTHER = "other"


class RateLimits:
    def __init__(self, storage: Storage) -> None:
        self._limiter = SlidingWindowCounterRateLimiter(storage)  # O(1) per hit, unlike a log
        self._items: dict[int, RateLimitItemPerMinute] = {}

    def hit(self, api: ApiDef, token_id: str) -> None:
        """Count one call of ``token_id`` to ``api``; ``RateLimitedError`` when over the limit."""
        item = self._items.get(api.rate_per_minute)
        if item is None:
            item = self._items.setdefault(
                api.rate_per_minute, RateLimitItemPerMinute(api.rate_per_minute)
            )
        if not self._limiter.hit(item, "api", api.id, token_id):
            raise RateLimitedError("over the rate limit of this API for this token", where=api.id)


class GatewayMetrics:
    """Counters and latency per API; labels only from closed sets."""

    def __init__(self, api_ids: tuple[str, ...]) -> None:
        self.registry = CollectorRegistry()
        self._apis = frozenset(api_ids)
        self._children: dict[tuple[str, int, str], tuple[Any, Any, Any, Any]] = {}
        self.calls = Counter(
            "medshield_gateway_calls",
            "API calls",
            ("api", "status", "code"),
            registry=self.registry,
        )
        self.records = Counter(
            "medshield_gateway_records", "records released", ("api",), registry=self.registry
        )
        self.intercepted = Counter(
            "medshield_gateway_intercepted_fields",
            "fields asked for and intercepted",
            ("api",),
            registry=self.registry,
        )
        self.latency = Histogram(
            "medshield_gateway_latency_seconds",
            "time in the gateway",
            ("api",),
            registry=self.registry,
            buckets=(0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5),
        )

    def label(self, api_id: str | None) -> str:
        return api_id if api_id in self._apis else OTHER

    def observe(
        self,
        api_id: str | None,
        status: int,
        code: str,
        records: int,
        intercepted: int,
        seconds: float,
    ) -> None:
        api = self.label(api_id)
        key = (api, status, code)
        children = self._children.get(key)
        if children is None:  # label sets are few: their children are looked up once
            children = self._children.setdefault(key, (
                self.calls.labels(api, f"{status // 100}xx", code), self.records.labels(api),
                self.intercepted.labels(api), self.latency.labels(api),
            ))  # fmt: skip
        calls, released, fields, latency = children
        calls.inc()
        if records:
            released.inc(records)
        if intercepted:
            fields.inc(intercepted)
        latency.observe(seconds)
