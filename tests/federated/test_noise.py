"""OpenDP sensitivities and noise; the sized-domain trap is shown and refused."""

from __future__ import annotations

import opendp.prelude as dp
import pytest

from medshield.errors import FederatedError
from medshield.federated.noise import _checked, count_sensitivity, laplace, sum_sensitivity


def test_the_known_trap_a_sized_domain_maps_to_zero_sensitivity() -> None:
    sized = dp.vector_domain(dp.atom_domain(bounds=(0.0, 110.0)), size=1000)
    trap = dp.t.make_sum(sized, dp.symmetric_distance()).map(1)
    assert trap < 1e-6  # "noise" calibrated to this would be none
    with pytest.raises(FederatedError, match="sensitivity is zero"):
        _checked(0.0)


def test_unsized_sensitivities_follow_the_bounds_and_contributions() -> None:
    assert count_sensitivity(1) == 1 and count_sensitivity(3) == 3
    assert sum_sensitivity(0, 110, 3) == pytest.approx(330, rel=1e-6)
    assert sum_sensitivity(-5, 2, 1) >= 5  # OpenDP is conservative across zero (U - L)


def test_laplace_noise_is_applied_with_the_stated_scale() -> None:
    draws = [laplace([1000.0], 10.0, 1.0, 0.05, integer=False).values[0] for _ in range(400)]
    assert sum(d != 1000.0 for d in draws) == 400
    spread = sum(abs(d - 1000.0) for d in draws) / len(draws)
    assert 7 < spread < 13  # E|Laplace(b=10)| = 10
    noised = laplace([50, 50, 50], 1, 0.5, 0.05, integer=True)
    assert noised.scale == 2.0 and all(float(v).is_integer() for v in noised.values)


def test_a_non_positive_epsilon_is_refused() -> None:
    with pytest.raises(FederatedError):
        laplace([1.0], 1.0, 0.0, 0.05, integer=False)
