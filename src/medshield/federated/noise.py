"""Differential-privacy noise on aggregated results, by OpenDP.

Sensitivities come from OpenDP transformations over an *unsized* vector domain with the
symmetric distance: a person adds or removes up to ``contributions`` rows. A sized domain would
be the known trap: OpenDP then bounds a sum by the change of one record within a fixed size, and
with ``contributions=1`` maps it to (almost) zero, so the "noise" would be none. A sensitivity
that comes out zero is refused here rather than released unnoised.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import opendp.prelude as dp

from medshield.errors import FederatedError

dp.enable_features("contrib")

_ANY_FLOAT = dp.vector_domain(dp.atom_domain(T=float, nan=False))


def count_sensitivity(contributions: int) -> int:
    """L1 sensitivity of a count (and of a histogram: a row falls in one bin)."""
    count = dp.t.make_count(_ANY_FLOAT, dp.symmetric_distance())
    return int(_checked(count.map(contributions)))  # type: ignore[no-untyped-call]


def sum_sensitivity(lower: float, upper: float, contributions: int) -> float:
    """L1 sensitivity of a sum of values clamped to [lower, upper]."""
    domain = dp.vector_domain(dp.atom_domain(bounds=(float(lower), float(upper))))
    summed = dp.t.make_sum(domain, dp.symmetric_distance())
    return float(_checked(summed.map(contributions)))  # type: ignore[no-untyped-call]


def _checked(sensitivity: Any) -> Any:
    if not sensitivity > 0:
        raise FederatedError("sensitivity is zero: the noise would not protect anyone")
    return sensitivity


@dataclass(frozen=True)
class Noised:
    values: list[float]
    scale: float  # Laplace scale
    bound: float  # each |noise| is below this with the stated confidence (union bound)


def laplace(
    values: Sequence[float], sensitivity: float, epsilon: float, beta: float, *, integer: bool
) -> Noised:
    """``values`` with Laplace noise (discrete for integers) spending ``epsilon``."""
    if epsilon <= 0:
        raise FederatedError("epsilon must be positive")
    scale = float(sensitivity) / epsilon
    if integer:
        space: Any = (dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int))
        data: list[Any] = [int(v) for v in values]
        d_in: Any = int(math.ceil(sensitivity))
    else:
        space = (_ANY_FLOAT, dp.l1_distance(T=float))
        data = [float(v) for v in values]
        d_in = float(sensitivity)
    measurement = dp.m.make_laplace(space[0], space[1], scale)
    if measurement.map(d_in) > epsilon * (1 + 1e-9):  # type: ignore[no-untyped-call]
        raise FederatedError("the noise scale does not meet the epsilon of the template")
    noisy = [float(v) for v in measurement(data)]
    bound = scale * math.log(len(data) / beta)  # P(|X| > b ln(k/beta)) = beta/k for each of k
    return Noised(noisy, scale, bound)
