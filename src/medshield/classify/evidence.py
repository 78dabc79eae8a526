"""Value evidence: what the detectors find in a column's sampled values."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from medshield import __version__
from medshield.detect import detect_all, registry, summarise

MIN_HIT_RATE = 0.3  # below this, a finding is something the column carries, not what it is
EMBED_MIN_HITS = 1


@dataclass(frozen=True)
class ValueSignal:
    element: str
    detector: str
    hit_rate: float
    masked_rate: float
    strength: float  # hit_rate x detector confidence
    hint: str


def value_signals(values: Sequence[str]) -> list[ValueSignal]:
    """One signal per element the detectors see in the values."""
    present = [v for v in values if v is not None and v.strip()]
    if not present:
        return []
    out: list[ValueSignal] = []
    for ev in summarise(detect_all(present), len(present)):
        if ev.element is None or ev.hits < EMBED_MIN_HITS:
            continue
        strength = round(ev.hit_rate * ev.confidence, 4)
        out.append(
            ValueSignal(ev.element, ev.detector, ev.hit_rate, ev.masked_rate, strength, ev.evidence)
        )
    out.sort(key=lambda s: -s.strength)
    return out


@cache
def detector_version() -> str:
    """Changes with the package version, the set of detectors, or their dictionaries (the data
    files of ``medshield.detect``: names, terms)."""
    digest = hashlib.sha256(__version__.encode())
    digest.update(",".join(sorted(registry().names())).encode())
    data = files("medshield.detect").joinpath("data")
    if data.is_dir():
        for item in sorted(data.iterdir(), key=lambda f: f.name):
            if item.is_file():
                digest.update(item.name.encode() + b"\0" + item.read_bytes())
    return "detect:" + digest.hexdigest()[:16]
