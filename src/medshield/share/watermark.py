"""A per-recipient watermark in CSV values that survives re-sorting and dropping rows (R4).

Each carrier cell holds one keyed bit, chosen from the cell's own value, so a leaked copy names
its recipient from any sizeable subset of its cells, in any row or column order:

- a decimal number (``37.5``) carries the bit in a trailing zero: ``37.5`` (0) or ``37.50`` (1),
  the same number either way;
- a cell with Chinese text carries it in an invisible character at its end: U+200B (0) or
  U+200C (1).

The bit of a cell is ``HMAC-SHA256(key, normalised value)``'s lowest bit, the key being the
recipient's mark key. Other cells (integers, dates, codes) are left as they are. To identify a
copy, each distinct carrier value gives one observation; a candidate key that explains nearly all
observations (and far more than the half a wrong key explains by chance) names the recipient.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from medshield.errors import WatermarkError

ZERO, ONE = "\u200b", "\u200c"
_DECIMAL = re.compile(r"^-?\d+\.\d+$")
_HAN = re.compile(r"[\u4e00-\u9fff]")
MIN_OBSERVATIONS = 16
MIN_AGREEMENT = 0.9
MIN_Z = 4.0


def _minimal_decimal(text: str) -> str:
    whole, frac = text.split(".")
    return f"{whole}.{frac.rstrip('0') or '0'}"


def _carrier(cell: str) -> tuple[str, int | None] | None:
    """(normalised value, observed bit or None) of a carrier cell; None for other cells."""
    if _DECIMAL.match(cell):
        base = _minimal_decimal(cell)
        observed = 0 if cell == base else 1 if cell == base + "0" else None
        return base, observed
    if _HAN.search(cell):
        if cell.endswith(ZERO) or cell.endswith(ONE):
            return cell[:-1], 0 if cell.endswith(ZERO) else 1
        return cell, None
    return None


def _bit(key: bytes, value: str) -> int:
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).digest()[0] & 1


keyed_bit = _bit  # the keyed bit of one value, for the other formats' carriers


def mark_value(key: bytes, cell: str) -> str:
    """One cell with its keyed bit (unchanged when it is not a carrier)."""
    found = _carrier(cell)
    if found is None:
        return cell
    base, _ = found
    bit = _bit(key, base)
    if _DECIMAL.match(base):
        return base + "0" if bit else base
    return base + (ONE if bit else ZERO)


def mark_csv(text: str, key: bytes) -> str:
    """The CSV with every carrier cell of its data rows marked with ``key``; the header stays."""
    rows = list(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for i, row in enumerate(rows):
        writer.writerow(row if i == 0 else [mark_value(key, cell) for cell in row])
    return out.getvalue()


def observe(cells: Iterable[str]) -> dict[str, int]:
    """Normalised carrier value -> observed bit, over ``cells``."""
    found: dict[str, int] = {}
    for cell in cells:
        carrier = _carrier(cell)
        if carrier is not None and carrier[1] is not None:
            found[carrier[0]] = carrier[1]
    return found


def observations(text: str) -> dict[str, int]:
    """Normalised carrier value -> observed bit, over the data rows of a (leaked) CSV."""
    rows = csv.reader(io.StringIO(text))
    next(rows, None)
    return observe(cell for row in rows for cell in row)


@dataclass(frozen=True)
class Verdict:
    recipient: str
    matches: int
    observations: int
    z: float  # standard scores above chance (0.5 agreement)

    @property
    def agreement(self) -> float:
        return self.matches / self.observations if self.observations else 0.0

    def as_row(self) -> dict[str, object]:
        return {"recipient": self.recipient, "matches": self.matches,
                "observations": self.observations, "agreement": round(self.agreement, 4),
                "z": round(self.z, 2)}  # fmt: skip


def score_candidates(text: str | Mapping[str, int], keys: Mapping[str, bytes]) -> list[Verdict]:
    """Every candidate's agreement with the marks of a CSV (or of ``observe``d cells), best first."""
    seen = observations(text) if isinstance(text, str) else text
    n = len(seen)
    verdicts = []
    encoded = [(value.encode("utf-8"), bit) for value, bit in seen.items()]
    for recipient, key in keys.items():
        keyed = hmac.new(key, digestmod=hashlib.sha256)  # the key schedule once per candidate
        m = 0
        for value, bit in encoded:
            mac = keyed.copy()
            mac.update(value)
            m += (mac.digest()[0] & 1) == bit
        z = (2 * m - n) / math.sqrt(n) if n else 0.0
        verdicts.append(Verdict(recipient, m, n, z))
    return sorted(verdicts, key=lambda v: (-v.z, v.recipient))


def identify(text: str | Mapping[str, int], keys: Mapping[str, bytes]) -> Verdict:
    """The recipient whose mark the CSV (or the ``observe``d cells) carries; WatermarkError
    when none is shown."""
    verdicts = score_candidates(text, keys)
    if not verdicts or verdicts[0].observations < MIN_OBSERVATIONS:
        n = verdicts[0].observations if verdicts else 0
        raise WatermarkError(f"too few marked values to decide ({n} < {MIN_OBSERVATIONS})")
    best = verdicts[0]
    if best.agreement < MIN_AGREEMENT or best.z < MIN_Z:
        raise WatermarkError(f"no recipient's watermark: best {best.recipient} agrees on "
                             f"{best.agreement:.0%} of {best.observations} values")  # fmt: skip
    return best
