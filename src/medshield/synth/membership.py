"""Which institutions each person is a patient of: one to three, chosen by weight.

Hubs see more patients than members, clinics fewer; people living in an institution's district
go there more often; the children's hospital sees children only. Choosing several institutions
without replacement is done for everyone at once with the Gumbel top-k trick.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from medshield.policy.schema import Institution
from medshield.synth.people import People

TIER_WEIGHT = {"university_hospital": 3.0, "hospital": 2.0, "community_clinic": 1.0, "clinic": 1.0}
HOW_MANY = (0.6, 0.3, 0.1)  # one, two, three institutions


def assign(
    rng: np.random.Generator, people: People, institutions: Sequence[Institution]
) -> list[np.ndarray]:
    """For each institution, the sorted indices of the people who are its patients."""
    n, k = len(people), len(institutions)
    county = np.array(people.county)
    weights = np.empty((n, k))
    for j, inst in enumerate(institutions):
        w = np.full(n, TIER_WEIGHT[inst.tier])
        w = np.where(county == inst.location.admin_code, w * 4.0, w)
        if "儿童" in inst.name:
            w = np.where(people.age < 14, 12.0, np.where(people.age < 18, 3.0, 0.0))
        weights[:, j] = w
    with np.errstate(divide="ignore"):
        keys = np.log(weights) + rng.gumbel(size=(n, k))
    ranked = np.argsort(-keys, axis=1, kind="stable")
    wanted = rng.choice(len(HOW_MANY), size=n, p=HOW_MANY) + 1
    possible = (weights > 0).sum(axis=1)
    count = np.minimum(wanted, np.maximum(possible, 1))
    member = np.zeros((n, k), dtype=bool)
    for slot in range(min(len(HOW_MANY), k)):
        rows = np.flatnonzero(count > slot)
        member[rows, ranked[rows, slot]] = True
    return [np.flatnonzero(member[:, j]) for j in range(k)]
