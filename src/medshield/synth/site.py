"""One institution while its HIS database is being made: identity, style, randomness, staff."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from medshield.policy.schema import Institution
from medshield.synth.styles import VendorStyle

Columns = dict[str, list[Any]]


@dataclass
class Staffing:
    """Who works where: filled by ``reference.staff`` and used by the clinical tables."""

    dept_ids: list[int]
    dept_weights: np.ndarray
    staff_by_dept: dict[int, list[tuple[str, str]]]  # dept id -> [(staff no, name)]


@dataclass
class Site:
    institution: Institution
    position: int  # place in the policy's list: picks the vendor style and number ranges
    style: VendorStyle
    rng: np.random.Generator
    persons: np.ndarray  # indices into the population
    staffing: Staffing | None = None

    @property
    def small(self) -> bool:
        return self.institution.tier in ("community_clinic", "clinic")

    def gender(self, male: bool) -> str:
        return self.style.gender_codes[0 if male else 1]
