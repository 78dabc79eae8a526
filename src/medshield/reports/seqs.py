"""Ledger sequence numbers kept as ranges, so a figure over a million records stays small."""

from __future__ import annotations


class SeqRanges:
    """Ascending sequence numbers folded into closed ranges as they arrive."""

    __slots__ = ("_ranges",)

    def __init__(self) -> None:
        self._ranges: list[list[int]] = []

    def add(self, seq: int) -> None:
        self.add_range(seq, seq)

    def add_range(self, first: int, last: int) -> None:
        if self._ranges and first <= self._ranges[-1][1] + 1:
            self._ranges[-1][1] = max(self._ranges[-1][1], last)
        else:
            self._ranges.append([first, last])

    def union(self, other: SeqRanges) -> SeqRanges:
        out = SeqRanges()
        for first, last in sorted(self.ranges() + other.ranges()):
            out.add_range(first, last)
        return out

    def __len__(self) -> int:
        return sum(b - a + 1 for a, b in self._ranges)

    def ranges(self) -> list[tuple[int, int]]:
        return [(a, b) for a, b in self._ranges]

    def text(self) -> str:
        return ",".join(str(a) if a == b else f"{a}-{b}" for a, b in self._ranges)
