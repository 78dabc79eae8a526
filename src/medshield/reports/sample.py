"""A month of realistic gateway traffic for benchmarks and the demo: working-hours peaks, calls
from each institution's registered network and a few public addresses, some refusals."""

from __future__ import annotations

import ipaddress
import random
from collections.abc import Iterator
from datetime import datetime, timedelta

from medshield.ledger import DataObject, Event
from medshield.policy.bundle import PolicyBundle

# relative call volume by local hour (08:00-11:00 and 14:00-17:00 are the clinic peaks)
HOURLY = (1, 1, 1, 1, 1, 1, 2, 4, 9, 10, 10, 8, 4, 5, 9, 9, 8, 6, 3, 3, 2, 2, 1, 1)
REFUSALS = (("MS615", 403, "patient has not authorised"), ("MS617", 429, "over the rate limit"))


def sample_calls(bundle: PolicyBundle, start: datetime, calls: int, *, days: int = 30,
                 seed: int = 7) -> Iterator[Event]:  # fmt: skip
    """``calls`` ``gateway.call`` events spread over ``days`` from ``start`` (local hours)."""
    rng = random.Random(seed)  # noqa: S311 - synthetic traffic, not security
    apis = [a.id for a in bundle.apis]
    members = [i for i in bundle.institutions if i.cidrs]
    networks = {i.id: ipaddress.ip_network(i.cidrs[0]) for i in members}
    hours = rng.choices(range(24), weights=HOURLY, k=calls)
    for n, hour in enumerate(hours):
        day = n * days // calls
        at = start + timedelta(days=day, hours=hour, seconds=rng.randrange(3600))
        inst = rng.choice(members)
        net = networks[inst.id]
        public = rng.random() < 0.02
        address = (
            f"203.0.113.{rng.randrange(1, 255)}"
            if public
            else str(net[rng.randrange(1, min(net.num_addresses - 1, 4000))])
        )
        refused = rng.random() < 0.03
        code, status, why = rng.choice(REFUSALS) if refused else ("ok", 200, "")
        rows = 0 if refused else rng.randrange(1, 21)
        yield Event(
            action="gateway.call",
            actor=f"token:t-{inst.id}",
            at=at,
            institution=inst.id,
            source_ip=address,
            object=DataObject(api=rng.choice(apis)),
            outcome="deny" if refused else "allow",
            rows=rows,
            duration_ms=round(rng.lognormvariate(3.0, 0.5), 2),
            reasons=(why,) if why else (),
            detail={"status": status, "code": code, "intercepted": [],
                    "under_control": rows},
        )  # fmt: skip
