"""The watermark in a workbook: survives sorting and deleting rows, names the recipient."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from medshield.errors import InputError
from medshield.ledger import Ledger
from medshield.policy import PolicyBundle
from medshield.share import generate_keypair, identify, open_file, pack_file, trace_file
from medshield.share.watermark_xlsx import mark_xlsx, xlsx_observations

from .visits import visits_csv

KEYS = {f"h{i}-office": bytes([i]) * 32 for i in range(1, 6)}


def _workbook(rows: int = 300) -> bytes:
    wb = Workbook()
    sheet = wb.active
    for r in csv.reader(io.StringIO(visits_csv(rows))):
        sheet.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _leak(data: bytes, seed: int) -> bytes:
    """Half the rows, re-sorted, copied into a new workbook."""
    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(data)).active.iter_rows()]
    body = random.Random(seed).sample(rows[1:], len(rows) // 2)
    body.sort(key=lambda r: str(r[3]))
    wb = Workbook()
    for r in [rows[0], *body]:
        wb.active.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("recipient", sorted(KEYS))
def test_a_half_resorted_workbook_names_its_recipient(recipient: str) -> None:
    marked = mark_xlsx(_workbook(), KEYS[recipient])
    assert identify(xlsx_observations(_leak(marked, 3)), KEYS).recipient == recipient


def test_not_a_workbook_is_refused() -> None:
    with pytest.raises(InputError):
        mark_xlsx(b"not a zip", KEYS["h1-office"])


def test_pack_and_trace_a_workbook(tmp_path: Path, ledger: Ledger, bundle: PolicyBundle) -> None:
    keys = {r: generate_keypair(tmp_path / "keys", r) for r in ("h1-office", "h2-office")}
    source = tmp_path / "visits.xlsx"
    source.write_bytes(_workbook())
    pkg = tmp_path / "visits.mspkg"
    info = pack_file(ledger, bundle, "secadmin-01", source, {r: p for r, (_, p) in keys.items()},
                     pkg, days=3)  # fmt: skip
    assert info["watermarked"]
    opened = open_file(ledger, "h1-user", pkg, keys["h1-office"][0])
    leaked = tmp_path / "leaked.xlsx"
    leaked.write_bytes(_leak(opened.content, 9))
    assert trace_file(ledger, "office-01", leaked).recipient == f"{info['package']}/h1-office"
