"""Packing and opening files with the ledger: opens recorded, leaks traced, media restricted."""

from __future__ import annotations

import csv
import io
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from medshield.errors import (
    InputError,
    NotAuthorisedError,
    PackageExpiredError,
    PackageKeyError,
    RemovableMediaError,
)
from medshield.ledger import Ledger
from medshield.policy import PolicyBundle
from medshield.share import export_to_media, generate_keypair, open_file, pack_file, trace_file

from .visits import visits_csv


@pytest.fixture
def keys(tmp_path: Path) -> dict[str, tuple[Path, Path]]:
    return {
        r: generate_keypair(tmp_path / "keys", r) for r in ("h1-office", "h2-office", "h3-office")
    }


def test_pack_open_trace(tmp_path: Path, ledger: Ledger, bundle: PolicyBundle, keys) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "visits.csv"
    source.write_text(visits_csv(), encoding="utf-8")
    pkg = tmp_path / "visits.mspkg"
    info = pack_file(ledger, bundle, "secadmin-01", source,
                     {r: pub for r, (_k, pub) in keys.items()}, pkg, days=7)  # fmt: skip
    assert info["watermarked"] and info["alg"] == "aes-256-gcm"
    opened = open_file(ledger, "h2-user", pkg, keys["h2-office"][0])
    leaked_rows = list(csv.reader(io.StringIO(opened.content.decode())))
    header, rows = leaked_rows[0], leaked_rows[1:]
    rows = random.Random(1).sample(rows, len(rows) // 2)
    rows.sort(key=lambda r: r[2])
    leak = tmp_path / "found-online.csv"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *rows])
    leak.write_text(out.getvalue(), encoding="utf-8")
    verdict = trace_file(ledger, "office-01", leak)
    assert verdict.recipient == f"{info['package']}/h2-office"
    stranger = generate_keypair(tmp_path / "keys", "stranger")[0]
    with pytest.raises(PackageKeyError):
        open_file(ledger, "someone", pkg, stranger)
    with pytest.raises(PackageExpiredError):
        open_file(ledger, "h1-user", pkg, keys["h1-office"][0],
                  now=datetime.now(UTC) + timedelta(days=8))  # fmt: skip
    opens = [(r.event.actor, r.event.outcome, r.event.detail.get("code"))
             for r in ledger.records(action_prefix="share.opened")]  # fmt: skip
    assert opens == [("h2-user", "allow", None), ("someone", "deny", "MS952"),
                     ("h1-user", "deny", "MS953")]  # fmt: skip
    [packed] = ledger.records(action_prefix="share.packed")
    assert packed.event.detail["recipients"] == ["h1-office", "h2-office", "h3-office"]


def test_sm4_when_the_policy_asks(
    tmp_path: Path, ledger: Ledger, bundle: PolicyBundle, keys
) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    gov = bundle.governance.model_copy(
        update={"share": bundle.governance.share.model_copy(update={"algorithm": "sm4-gcm"})}
    )
    national = replace(bundle, governance=gov)
    source = tmp_path / "report.bin"  # a format without a watermark: the bytes come back as sent
    source.write_bytes(b"\x00binary report\xff")
    pkg = tmp_path / "report.mspkg"
    info = pack_file(ledger, national, "office-01", source, {"h1-office": keys["h1-office"][1]},
                     pkg, days=3)  # fmt: skip
    assert info["alg"] == "sm4-gcm" and not info["watermarked"]
    assert open_file(ledger, "h1-user", pkg, keys["h1-office"][0]).content == source.read_bytes()


def test_packing_is_an_admin_action_with_limits(
    tmp_path: Path, ledger: Ledger, bundle: PolicyBundle, keys
) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "a.txt"
    source.write_text("x")
    pubs = {"h1-office": keys["h1-office"][1]}
    with pytest.raises(NotAuthorisedError):
        pack_file(ledger, bundle, "doctor-01", source, pubs, tmp_path / "a.mspkg", days=1)
    with pytest.raises(InputError):
        pack_file(ledger, bundle, "secadmin-01", source, pubs, tmp_path / "a.mspkg", days=31)


def test_removable_media_takes_packages_only(
    tmp_path: Path, ledger: Ledger, bundle: PolicyBundle, keys
) -> None:  # type: ignore[no-untyped-def]
    media = tmp_path / "usb"
    media.mkdir()
    plain = tmp_path / "visits.csv"
    plain.write_text(visits_csv(20), encoding="utf-8")
    with pytest.raises(RemovableMediaError) as info:
        export_to_media(ledger, bundle, "secadmin-01", plain, media)
    assert info.value.code == "MS955" and not (media / "visits.csv").exists()
    pkg = tmp_path / "visits.mspkg"
    pack_file(
        ledger, bundle, "secadmin-01", plain, {"h1-office": keys["h1-office"][1]}, pkg, days=1
    )
    assert export_to_media(ledger, bundle, "secadmin-01", pkg, media).exists()
    with pytest.raises(NotAuthorisedError):
        export_to_media(ledger, bundle, "office-01", pkg, media)
    outcomes = [r.event.outcome for r in ledger.records(action_prefix="share.exported")]
    assert outcomes == ["deny", "allow"]
