"""The masking dictionary (R20): clinical terms -> term codes, drug brands -> generic names.

Batch 0 is the starter dictionary shipped in the package: diagnosis and operation terms with
their ICD codes (the detectors' term list, from ZainZhao/HIS) overlaid by curated clinical
abbreviations (癌症 -> CA, 免疫性血小板减少症 -> ITP), and curated brand -> generic pairs
(思密达 -> 蒙脱石散). Every later batch is an approved change (who approved it, why, when)
kept in the platform store and recorded in the ledger; the dictionary at batch N is batch 0
with batches 1..N applied in order. The policy pins the batch it masks with
(``masking.dictionary_batch``), so a release can always be reproduced.
"""

from __future__ import annotations

import csv
import hashlib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Literal

from medshield.errors import InputError

Kind = Literal["term", "drug"]
KINDS: tuple[Kind, ...] = ("term", "drug")


def normalise_term(text: str) -> str:
    """Full-width to half-width, no spaces: 2型糖尿病 and ２型 糖尿病 are one term."""
    return "".join(unicodedata.normalize("NFKC", text).split())


@dataclass(frozen=True)
class MaskingDictionary:
    """Term -> code and brand -> generic, as of one batch."""

    batch: int
    terms: Mapping[str, str]
    drugs: Mapping[str, str]

    def lookup(self, kind: Kind, text: str) -> str | None:
        table = self.terms if kind == "term" else self.drugs
        return table.get(normalise_term(text))

    def applied(self, batch: int, entries: Sequence[tuple[str, str, str]]) -> MaskingDictionary:
        """This dictionary with one batch of ``(kind, term, code)`` applied ("" removes)."""
        terms, drugs = dict(self.terms), dict(self.drugs)
        for kind, term, code in entries:
            table = terms if kind == "term" else drugs
            if code:
                table[normalise_term(term)] = code
            else:
                table.pop(normalise_term(term), None)
        return MaskingDictionary(batch, terms, drugs)


def _tsv(name: str) -> list[tuple[str, str]]:
    text = files("medshield.mask").joinpath(f"data/{name}").read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if line and not line.startswith("#"):
            left, right = line.split("\t")
            rows.append((left, right))
    return rows


@cache
def starter_dictionary() -> MaskingDictionary:
    """Batch 0, shipped in the package."""
    from medshield.detect.terms import term_index

    terms: dict[str, str] = {}
    for text, group in term_index().by_text.items():
        for term in group:
            if term.kind in ("diagnosis", "operation") and term.code:
                terms.setdefault(normalise_term(text), term.code)
    for text, code in _tsv("abbreviations.tsv"):
        terms[normalise_term(text)] = code
    drugs = {normalise_term(brand): generic for brand, generic in _tsv("brands.tsv")}
    return MaskingDictionary(0, terms, drugs)


def curated_entries() -> list[tuple[Kind, str, str]]:
    """The curated part of batch 0: abbreviations and brand -> generic pairs."""
    terms: list[tuple[Kind, str, str]] = [("term", t, c) for t, c in _tsv("abbreviations.tsv")]
    return terms + [("drug", b, g) for b, g in _tsv("brands.tsv")]


def read_batch_file(path: Path) -> list[tuple[Kind, str, str]]:
    """Rows ``kind,term,code`` of a CSV file (UTF-8, header required; empty code removes)."""
    if not path.is_file():
        raise InputError("dictionary batch file not found", where=str(path))
    entries: list[tuple[Kind, str, str]] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames is None or not {"kind", "term", "code"} <= set(reader.fieldnames):
            raise InputError("the header must name kind,term,code", where=f"{path}:1")
        for row in reader:
            where = f"{path}:{reader.line_num}"
            kind = (row.get("kind") or "").strip()
            term = (row.get("term") or "").strip()
            code = (row.get("code") or "").strip()
            if kind not in KINDS:
                raise InputError(f"kind must be term or drug, not {kind!r}", where=where)
            if not term or len(term) > 200 or len(code) > 200:
                raise InputError("term must be 1-200 characters, code at most 200", where=where)
            entries.append((kind, term, code))  # type: ignore[arg-type]
    if not entries:
        raise InputError("the batch holds no entries", where=str(path))
    return entries


def entries_digest(entries: Sequence[tuple[str, str, str]]) -> str:
    digest = hashlib.sha256()
    for kind, term, code in entries:
        digest.update(f"{kind}\t{term}\t{code}\n".encode())
    return f"sha256:{digest.hexdigest()}"
