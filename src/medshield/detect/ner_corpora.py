"""Readers of the public Chinese NER corpora (CLUENER2020, Resume NER, Weibo NER, CMeEE) as
sentences with their person and address spans.

They feed the text benchmarks and a comparison training of the name model (``name_train.py``,
never shipped: CLUENER2020 and Resume NER are research-only); the corpora
themselves are not part of the package. Spans are ``(start, end)`` with ``end`` exclusive.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

PERSON = "person"
ADDRESS = "address"
# the type names of each corpus that mean a person's name or a place
_TYPES = {
    "name": PERSON,
    "address": ADDRESS,
    "NAME": PERSON,
    "LOC": ADDRESS,
    "PER.NAM": PERSON,
    "GPE.NAM": ADDRESS,
    "LOC.NAM": ADDRESS,
}


@dataclass(frozen=True)
class Sentence:
    text: str
    spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)


def read_cluener(path: Path) -> Iterator[Sentence]:
    """CLUENER2020: one JSON object a line, ``label`` = {type: {surface: [[start, end]]}}, end
    inclusive."""
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            row = json.loads(line)
            spans: dict[str, list[tuple[int, int]]] = {}
            for kind, surfaces in row.get("label", {}).items():
                if kind in _TYPES:
                    for places in surfaces.values():
                        for s, e in places:
                            spans.setdefault(_TYPES[kind], []).append((s, e + 1))
            yield Sentence(row["text"], {k: sorted(v) for k, v in spans.items()})


def read_tagged(path: Path) -> Iterator[Sentence]:
    """One character and its tag a line (Resume: ``char TAG``, BMES; Weibo: ``charN<TAB>TAG``,
    BIO, N being the position inside a jieba word), blank line between sentences."""
    chars: list[str] = []
    tags: list[str] = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            line = line.rstrip("\n")
            if not line.strip():
                if chars:
                    yield _from_tags(chars, tags)
                chars, tags = [], []
                continue
            token, _, tag = line.replace("\t", " ").rpartition(" ")
            chars.append(token[0] if "\t" in line else token)
            tags.append(tag)
    if chars:
        yield _from_tags(chars, tags)


def _from_tags(chars: list[str], tags: list[str]) -> Sentence:
    spans: dict[str, list[tuple[int, int]]] = {}
    start: int | None = None
    kind = ""
    for i, tag in enumerate([*tags, "O"]):
        head, _, name = tag.partition("-")
        ends = head in ("O", "B", "S") or (head in ("M", "I", "E") and kind != name)
        if start is not None and ends:  # a span left open (BIO has no end tag)
            if kind in _TYPES:
                spans.setdefault(_TYPES[kind], []).append((start, i))
            start = None
        if head in ("B", "S") or (head in ("M", "I", "E") and start is None):
            start, kind = i, name
        if head in ("E", "S") and start is not None:
            if kind in _TYPES:
                spans.setdefault(_TYPES[kind], []).append((start, i + 1))
            start = None
    return Sentence("".join(chars), spans)


def read_cmeee(path: Path) -> Iterator[Sentence]:
    """CMeEE: one JSON array of {text, entities}; it has no person or address type, so every
    sentence comes with no spans."""
    for row in json.loads(path.read_text(encoding="utf-8")):
        yield Sentence(row["text"])


def read(path: Path) -> Iterator[Sentence]:
    """The sentences of one corpus file, by its name."""
    if "cmeee" in path.name:
        return read_cmeee(path)
    if path.suffix == ".jsonl":
        return read_cluener(path)
    return read_tagged(path)
