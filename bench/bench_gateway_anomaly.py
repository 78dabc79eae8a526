"""The gateway's anomaly check per allowed call, beside the rate-limit hit of the same call.

Both run over the same state: in memory, and over Redis when one answers at 127.0.0.1:6379.
The traffic is ordinary (20 patients, one address, working hours): the path every call takes.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

from bench.harness import Row, best_of
from medshield.policy import load_bundle
from medshield.service.anomaly import AnomalyWatch
from medshield.service.state import limits_storage, open_state
from medshield.service.traffic import RateLimits

REDIS = "redis://127.0.0.1:6379/0"


def _rows(url: str | None, calls: int, label: str) -> Iterator[Row]:
    bundle = load_bundle()
    api = bundle.apis[0].model_copy(update={"rate_per_minute": 10**9})
    audit = bundle.audit
    watch = AnomalyWatch(open_state(url), audit.gateway, audit.logs.remote_access)
    limits = RateLimits(limits_storage(url))
    token = f"bench-{secrets.token_hex(6)}"  # keys of this run only
    patients = [f"P{i:019d}" for i in range(20)]
    at_work = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo(audit.logs.remote_access.timezone))
    now = at_work.timestamp()

    def anomalies() -> None:
        for i in range(calls):
            assert not watch.observe(token, "10.11.0.5", patients[i % 20], now=now)

    def rate_limit() -> None:
        for _ in range(calls):
            limits.hit(api, token)

    anomalies()  # warm: the patients' markers and the address are known
    t_anomaly, t_limit = best_of(anomalies), best_of(rate_limit)
    yield Row(
        f"gateway anomaly check per call ({label})", t_anomaly / calls * 1e6, "us/call",
        "rate-limit hit us", t_limit / calls * 1e6, "a few us in memory",
        f"{calls} ordinary calls",
    )  # fmt: skip


def run(quick: bool = False) -> Iterator[Row]:
    yield from _rows(None, 2_000 if quick else 50_000, "memory")
    try:
        import redis

        redis.Redis.from_url(REDIS).ping()
    except Exception:  # noqa: BLE001 - no Redis here: the memory figure stands alone
        return
    yield from _rows(REDIS, 200 if quick else 5_000, "Redis")
