"""Resident ID numbers (GB 11643-1999) built column-wise: region, birth date, order, check."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
CHECK = "10X98765432"


def check_chars(first17: Sequence[str]) -> list[str]:
    """The check character of each 17-digit body (ISO 7064 MOD 11-2)."""
    if not first17:
        return []
    raw = np.frombuffer("".join(first17).encode("ascii"), dtype=np.uint8)
    digits = (raw.astype(np.int64) - 48).reshape(len(first17), 17)
    remainders = (digits @ WEIGHTS) % 11
    return [CHECK[r] for r in remainders.tolist()]


def id_numbers(
    regions: Sequence[str],
    births: Sequence[str],
    male: np.ndarray,
    rng: np.random.Generator,
) -> list[str]:
    """18-character ID numbers: ``births`` are ISO dates; the 17th digit is odd for men."""
    n = len(regions)
    order = rng.integers(0, 100, n)
    sex = rng.integers(0, 5, n) * 2 + male.astype(np.int64)
    bodies = [
        f"{region}{birth[:4]}{birth[5:7]}{birth[8:10]}{o:02d}{s}"
        for region, birth, o, s in zip(regions, births, order.tolist(), sex.tolist(), strict=True)
    ]
    return [b + c for b, c in zip(bodies, check_chars(bodies), strict=True)]
