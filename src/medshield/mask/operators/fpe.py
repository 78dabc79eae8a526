"""``fpe``: keyed, deterministic, format-preserving replacement of the digits of a value.

Digits stay digits, everything else (letters, separators) stays where it is, the length is kept;
an 18-digit ID number gets a valid GB 11643 check character and a bank card a valid Luhn digit.
The digits pass through a 10-round balanced Feistel network over decimal strings whose round
function is HMAC-SHA256 under a ring key, tweaked by the kept prefix and the length. It is a
bijection for each length, so distinct inputs stay distinct. This is a construction of medshield,
not NIST FF1 or FF3-1.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar, Literal

import polars as pl
from pydantic import BaseModel, ConfigDict, Field

from medshield.mask.operators.base import MaskContext
from medshield.mask.operators.distinct import Memo, as_text, map_distinct
from medshield.mask.operators.idnumber import ID18, check_digit
from medshield.mask.operators.keyed import KeyedHash, ring_key

ROUNDS = 10


class FpeParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key_id: str | None = None  # None: the ring's active key
    keep_prefix: int = Field(default=0, ge=0, le=32)  # leading digits kept (e.g. 3 of a phone)
    checksum: Literal["auto", "none", "cn_id", "luhn"] = "auto"  # auto: cn_id for ID numbers


def luhn_digit(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


class Fpe:
    name: ClassVar[str] = "fpe"
    Params: ClassVar[type[BaseModel]] = FpeParams

    def __init__(self, params: BaseModel, context: MaskContext) -> None:
        assert isinstance(params, FpeParams)
        self.p = params
        self.key_id, secret = ring_key(context, params.key_id, self.name)
        self._hash = KeyedHash(secret)
        self._memo = Memo()

    def _round(self, i: int, tweak: str, half: str, width: int) -> int:
        return int(self._hash.integer("fpe", tweak, str(i), half) % 10**width)

    def _feistel(self, digits: str, tweak: str, *, inverse: bool = False) -> str:
        n = len(digits)
        u = n // 2
        if not inverse:
            a, b = digits[:u], digits[u:]
            for i in range(ROUNDS):
                width = u if i % 2 == 0 else n - u
                c = (int(a) + self._round(i, tweak, b, width)) % 10**width
                a, b = b, str(c).zfill(width)
            return a + b
        # after an even number of rounds the halves are back to widths u and n - u
        a, b = digits[:u], digits[u:]
        for i in reversed(range(ROUNDS)):
            width = u if i % 2 == 0 else n - u
            prev_b = a
            prev_a = (int(b) - self._round(i, tweak, prev_b, width)) % 10**width
            a, b = str(prev_a).zfill(width), prev_b
        return a + b

    def encrypt_digits(self, digits: str, tweak: str) -> str:
        """A keyed permutation of the digit strings of one length that has no fixed point:
        ``E^-1(E(x) + 1)`` with ``E`` the Feistel network, so no value comes out unchanged."""
        n = len(digits)
        if n == 0:
            return digits
        if n == 1:
            return str((int(digits) + 1 + self._round(0, tweak, "", 1) % 9) % 10)
        step = (int(self._feistel(digits, tweak)) + 1) % 10**n
        return self._feistel(str(step).zfill(n), tweak, inverse=True)

    def mask_value(self, value: Any) -> str | None:
        text = str(value)
        checksum = self.p.checksum
        if checksum == "auto":
            checksum = "cn_id" if re.match(ID18, text.upper()) else "none"
        positions = [i for i, ch in enumerate(text) if ch.isdigit() and ch.isascii()]
        if checksum == "cn_id" and re.match(ID18, text.upper()):
            positions = positions[:17]
        elif checksum == "luhn" and len(positions) >= 2:
            positions = positions[:-1]
        else:
            checksum = "none"
        digits = "".join(text[i] for i in positions)
        if not digits:
            return None  # nothing to preserve: fail closed rather than pass the text through
        keep = min(self.p.keep_prefix, len(digits) - 1)
        tweak = f"{len(text)}:{digits[:keep]}"
        new = digits[:keep] + self.encrypt_digits(digits[keep:], tweak)
        out = list(text)
        for i, ch in zip(positions, new, strict=True):
            out[i] = ch
        if checksum == "cn_id":
            out[17] = check_digit(new)
        elif checksum == "luhn":
            last = max(i for i, ch in enumerate(text) if ch.isdigit() and ch.isascii())
            out[last] = luhn_digit(new)
        return "".join(out)

    def apply(self, column: pl.Series) -> pl.Series:
        return map_distinct(as_text(column), self.mask_value, pl.String, self._memo)
